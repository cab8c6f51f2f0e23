// The Helm chart deploy/helm/nora, rendered as `helm template` would (Helm is not installable
// here): scripts/helm-render (Go text/template + Debian's sprig + Helm's include/tpl/toYaml/
// required/fail), built offline with Debian's Go. For each values file: the merged values pass
// values.schema.json (ajv), every rendered object passes its Kubernetes schema
// (kubernetes-models, prometheus-operator models for the ServiceMonitor), and the nora.toml in
// the ConfigMap loads with NORA's own config loader. replicaCount 3 without S3 must be refused.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/lib/config/index.js';

const ROOT = path.join(__dirname, '..', '..');
const CHART = path.join(ROOT, 'deploy', 'helm', 'nora');
const VALUES = path.join(__dirname, 'values');
const RENDERER = path.join(ROOT, '.cache', 'helm-render', 'helm-render');

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };
type Validator = (object: K8sObject) => void;
let validators: Record<string, Validator>;
let tmp: string;
let validated = 0;

/** Runs the renderer; returns stdout, or throws with stderr when it exits non-zero. */
function helmRender(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(RENDERER, [...args, CHART], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function render(valueFiles: string[]): K8sObject[] {
  const args = valueFiles.flatMap((f) => ['-f', path.join(VALUES, f)]);
  const values = helmRender([...args, '--values-json']);
  expect(values.code, values.stderr).toBe(0);
  const ajv = new Ajv({ allErrors: true, strict: false });
  const schema = JSON.parse(readFileSync(path.join(CHART, 'values.schema.json'), 'utf8')) as object;
  const valid = ajv.validate(schema, JSON.parse(values.stdout));
  expect(valid, ajv.errorsText()).toBe(true);
  const rendered = helmRender([...args, '--name', 'nora', '--namespace', 'registry']);
  expect(rendered.code, rendered.stderr).toBe(0);
  const objects = parseAllDocuments(rendered.stdout).map((doc) => {
    expect(doc.errors, `${rendered.stdout}`).toEqual([]);
    return doc.toJS() as K8sObject | null;
  }).filter((o): o is K8sObject => o !== null);
  for (const object of objects) validate(object);
  return objects;
}

function validate(object: K8sObject): void {
  const validator = validators[`${object.apiVersion}/${object.kind}`];
  if (!validator) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  validator(object);
  validated++;
}

function find(objects: K8sObject[], kind: string): K8sObject {
  const object = objects.find((o) => o.kind === kind);
  if (!object) throw new Error(`no ${kind} among ${objects.map((o) => o.kind).join(', ')}`);
  return object;
}

type Container = { args: string[]; env?: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>; livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } } };
function podSpec(objects: K8sObject[]) {
  const deployment = find(objects, 'Deployment') as unknown as { spec: { replicas: number; strategy: { type: string }; template: { spec: { containers: Container[]; volumes: Array<Record<string, unknown> & { name: string }> } } } };
  return { deployment: deployment.spec, pod: deployment.spec.template.spec, container: deployment.spec.template.spec.containers[0]! };
}

/** The ConfigMap's nora.toml, loaded by NORA's config loader with the given environment. */
function noraConfig(objects: K8sObject[], env: NodeJS.ProcessEnv = {}) {
  const text = (find(objects, 'ConfigMap') as unknown as { data: Record<string, string> }).data['nora.toml']!;
  const file = path.join(tmp, `nora-${validated}.toml`);
  writeFileSync(file, text);
  return loadConfig({ configPath: file, env, cwd: tmp }).config;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'nora-helm-'));
  mkdirSync(path.dirname(RENDERER), { recursive: true });
  // GOPATH mode over Debian's Go sources: no module download, no network.
  const build = spawnSync('go', ['build', '-o', RENDERER, '.'], {
    cwd: path.join(ROOT, 'scripts', 'helm-render'),
    encoding: 'utf8',
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOPROXY: 'off', GOFLAGS: '' },
  });
  if (build.error) throw new Error(`go: ${build.error.message} (scripts/ci/install-deps.sh installs golang-go and golang-github-masterminds-sprig-dev)`);
  if (build.status !== 0) throw new Error(`go build scripts/helm-render failed:\n${build.stderr}`);
  const core = (await import('kubernetes-models/v1')) as unknown as Record<string, new (o: unknown) => { validate(): void }>;
  const apps = (await import('kubernetes-models/apps/v1')) as unknown as Record<string, new (o: unknown) => { validate(): void }>;
  const networking = (await import('kubernetes-models/networking.k8s.io/v1')) as unknown as Record<string, new (o: unknown) => { validate(): void }>;
  const monitoring = (await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1')) as unknown as Record<string, new (o: unknown) => { validate(): void }>;
  const by = (apiVersion: string, models: Record<string, new (o: unknown) => { validate(): void }>, kinds: string[]) =>
    Object.fromEntries(kinds.map((kind) => [`${apiVersion}/${kind}`, (o: K8sObject) => new models[kind]!(o).validate()]));
  validators = {
    ...by('v1', core, ['ConfigMap', 'Secret', 'Service', 'PersistentVolumeClaim']),
    ...by('apps/v1', apps, ['Deployment']),
    ...by('networking.k8s.io/v1', networking, ['Ingress']),
    ...by('monitoring.coreos.com/v1', monitoring, ['ServiceMonitor']),
  };
}, 240_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  // The figure for the closing note: every object of every rendering passed its schema.
  console.log(`helm chart: ${validated} rendered objects validated against the Kubernetes schemas`);
});

describe('helm chart deploy/helm/nora', () => {
  it('the schema check can fail: a Deployment whose replicas is a string is refused', () => {
    const [deployment] = render([]).filter((o) => o.kind === 'Deployment');
    const broken = structuredClone(deployment!) as K8sObject & { spec: Record<string, unknown> };
    broken.spec.replicas = 'three';
    expect(() => validate(broken)).toThrow(/replicas/);
  });

  it('defaults: one server on a PVC, probes on /health and /ready, nora.toml from the ConfigMap', () => {
    const objects = render([]);
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PersistentVolumeClaim', 'Service']);
    const { deployment, pod, container } = podSpec(objects);
    expect(deployment.replicas).toBe(1);
    expect(deployment.strategy.type).toBe('Recreate');
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.args).toEqual(['--config', '/etc/nora/nora.toml']);
    expect(pod.volumes.find((v) => v.name === 'data')).toMatchObject({ persistentVolumeClaim: { claimName: 'nora' } });
    const config = noraConfig(objects);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.server.port).toBe(4000);
    expect(config.storage.backend).toBe('fs');
    expect(config.storage.data_dir).toBe('/data');
  });

  it('fs + PVC: storage class and size, htpasswd from the chart\'s Secret, extra nora.toml settings', () => {
    const objects = render(['fs-pvc.yaml']);
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PersistentVolumeClaim', 'Secret', 'Service']);
    expect(find(objects, 'PersistentVolumeClaim')).toMatchObject({ spec: { storageClassName: 'fast-ssd', resources: { requests: { storage: '50Gi' } } } });
    const secret = find(objects, 'Secret') as unknown as { data: Record<string, string> };
    expect(Buffer.from(secret.data.htpasswd!, 'base64').toString()).toMatch(/^alice:\$2y\$10\$/);
    expect(JSON.stringify(find(objects, 'ConfigMap'))).not.toContain('alice');
    const config = noraConfig(objects);
    expect(config.auth.htpasswd_file).toBe('/etc/nora/secrets/htpasswd');
    expect(config.server.public_url).toBe('https://nora.example.com');
    expect(config.server.trusted_proxies).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
    expect(config.docker.upstreams).toMatchObject([{ name: 'dockerhub', url: 'https://registry-1.docker.io', prefix: 'docker.io/' }]);
  });

  it('S3 with 3 replicas: no PVC, rolling updates, keys as NORA_* variables from the Secret', () => {
    const objects = render(['s3-three-replicas.yaml']);
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Secret', 'Service']);
    const { deployment, pod, container } = podSpec(objects);
    expect(deployment.replicas).toBe(3);
    expect(deployment.strategy.type).toBe('RollingUpdate');
    expect(pod.volumes.find((v) => v.name === 'data')).toEqual({ name: 'data', emptyDir: {} });
    expect(container.env?.map((e) => [e.name, e.valueFrom?.secretKeyRef?.key])).toEqual([
      ['NORA_STORAGE_S3_ACCESS_KEY_ID', 's3-access-key-id'],
      ['NORA_STORAGE_S3_SECRET_ACCESS_KEY', 's3-secret-access-key'],
    ]);
    expect(JSON.stringify(find(objects, 'ConfigMap'))).not.toContain('not-a-real-secret');
    const config = noraConfig(objects, { NORA_STORAGE_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', NORA_STORAGE_S3_SECRET_ACCESS_KEY: 'not-a-real-secret' });
    expect(config.storage.backend).toBe('s3');
    expect(config.storage.s3).toMatchObject({ bucket: 'nora-artifacts', endpoint: 'http://rgw.storage.svc:7480', region: 'default', prefix: 'prod/', path_style: true, access_key_id: 'AKIAEXAMPLE' });
  });

  it('replicas 3 without S3 is refused with the reason', () => {
    const result = helmRender(['-f', path.join(VALUES, 'replicas-without-s3.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('replicaCount 3 needs storage.backend "s3"');
  });

  it('S3 without a bucket is refused', () => {
    const file = path.join(tmp, 's3-no-bucket.yaml');
    writeFileSync(file, 'storage:\n  backend: s3\n');
    const result = spawnSync(RENDERER, ['-f', file, CHART], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('storage.s3.bucket is required');
  });

  it('ingress with TLS and a ServiceMonitor on /metrics; an existing Secret and claim', () => {
    const objects = render(['ingress-servicemonitor.yaml']);
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Ingress', 'Service', 'ServiceMonitor']);
    expect(find(objects, 'Ingress')).toMatchObject({
      spec: { ingressClassName: 'nginx', tls: [{ secretName: 'nora-tls' }], rules: [{ host: 'nora.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'nora', port: { name: 'http' } } } }] } }] },
    });
    expect(find(objects, 'ServiceMonitor')).toMatchObject({
      metadata: { labels: { release: 'prometheus' } },
      spec: { endpoints: [{ port: 'http', path: '/metrics', interval: '15s' }], namespaceSelector: { matchNames: ['registry'] } },
    });
    const { pod, container } = podSpec(objects);
    expect(pod.volumes.find((v) => v.name === 'data')).toMatchObject({ persistentVolumeClaim: { claimName: 'nora-data' } });
    expect(pod.volumes.find((v) => v.name === 'secrets')).toMatchObject({ secret: { secretName: 'nora-credentials' } });
    expect(container.env?.[0]?.valueFrom?.secretKeyRef?.name).toBe('nora-credentials');
  });

  it('values.schema.json refuses what the chart owns or cannot use', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const check = ajv.compile(JSON.parse(readFileSync(path.join(CHART, 'values.schema.json'), 'utf8')) as object);
    const defaults = JSON.parse(helmRender(['--values-json']).stdout) as Record<string, unknown>;
    expect(check(defaults)).toBe(true);
    expect(check({ ...defaults, storage: { backend: 'gcs' } })).toBe(false);
    expect(check({ ...defaults, config: { storage: { data_dir: '/elsewhere' } } })).toBe(false);
    expect(check({ ...defaults, replicas: 3 })).toBe(false);
  });
});
