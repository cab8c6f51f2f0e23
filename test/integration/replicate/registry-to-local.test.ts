// `nora replicate` from Debian's docker-registry (htpasswd) into this store: a pattern over the
// catalog, byte-exact manifests (skopeo inspect through a NORA serving the store), audit lines
// for each copy, a re-run that transfers nothing, filters, and a dry run that writes nothing.
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistribution, type DistributionRegistry } from '../../helpers/docker-registry.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { startNora } from '../../helpers/nora-process.js';
import { replicate, seedImages, type SeededImages } from '../../helpers/replicate-fixtures.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

let registry: DistributionRegistry;
let proxy: FaultProxy;
let skopeo: Skopeo;
let seeded: SeededImages;
let dataDir: string;
const creds = 'mirror:pa55word';

beforeAll(async () => {
  registry = await startDistribution({ user: { name: 'mirror', password: 'pa55word' } });
  proxy = await startFaultProxy(registry.url);
  skopeo = await makeSkopeo();
  seeded = await seedImages(skopeo, registry.host, { creds });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'nora-replicate-local-'));
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await registry?.cleanup();
  await skopeo?.cleanup();
  await seeded?.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe('replicate from a registry into local/', () => {
  it('refuses without credentials, naming the registry and not the password', async () => {
    const run = await replicate(['--from', `${proxy.url}/team/app:1.0.0`, '--to', 'local/imported/', '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.summary.failures[0]!.reason).toContain('refused access (HTTP 401)');
  });

  it('a dry run lists what would be copied with sizes and writes nothing', async () => {
    const run = await replicate(['--from', `${proxy.url}/team/*`, '--to', 'local/imported/', '--data-dir', dataDir, '--src-creds', creds, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    const plans = run.events.filter((e) => e.type === 'artifact');
    expect(plans.map((e) => `${e.status} ${e.source}`).sort()).toEqual(['would-copy team/app:1.0.0', 'would-copy team/app:2.0.0', 'would-copy team/app:multi']);
    const v1 = plans.find((e) => e.source === 'team/app:1.0.0')!;
    // Nothing is at the destination yet: every byte of the image (config + layers) is to send.
    expect(v1.size).toBeGreaterThan(seeded.layers.big.size + seeded.layers.shared.size);
    expect(v1.bytes).toBe(v1.size);
    expect(proxy.count(/^(PUT|POST) /)).toBe(0);
    const nora = await startNora({ dataDir });
    try {
      expect((await fetch(`${nora.url}/v2/_catalog`).then((r) => r.json()) as { repositories: string[] }).repositories).toEqual([]);
    } finally {
      await nora.stop();
    }
  });

  it('copies a pattern byte-exact, each copy an audited push; the password never appears in output', async () => {
    const run = await replicate(['--from', `${proxy.url}/team/*`, '--to', 'local/imported/', '--data-dir', dataDir, '--src-creds', creds]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 3, skipped: 0, failed: 0 });
    expect(run.stdout + run.stderr).not.toContain('pa55word');
    // The big layer is shared by 1.0.0 and the index's amd64 image: fetched from the source once.
    expect(proxy.count(new RegExp(`^GET /v2/team/app/blobs/${seeded.layers.big.digest}`))).toBe(1);
    const nora = await startNora({ dataDir });
    try {
      const host = new URL(nora.url).host;
      for (const tag of ['1.0.0', '2.0.0', 'multi']) {
        const inspected = JSON.parse(await skopeo.run('inspect', '--raw', '--tls-verify=false', `docker://${host}/imported/team/app:${tag}`)) as unknown;
        const source = JSON.parse(await skopeo.run('inspect', '--raw', '--tls-verify=false', '--creds', creds, `docker://${registry.host}/team/app:${tag}`)) as unknown;
        expect(inspected).toEqual(source);
        const digest = (await fetch(`${nora.url}/v2/imported/team/app/manifests/${tag}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json' } })).headers.get('docker-content-digest');
        expect(digest).toBe(seeded.digests[`team/app:${tag}`]);
      }
      await skopeo.run('copy', '--src-tls-verify=false', `docker://${host}/imported/team/app:1.0.0`, `oci:${dataDir}/pulled:x`);
    } finally {
      await nora.stop({ keepData: true });
    }
    const audit = await readFile(path.join(dataDir, 'audit.log'), 'utf8');
    expect(audit).toContain('"identity":"replicate","action":"push","resource":"oci:imported/team/app"');
  });

  it('a re-run transfers nothing: every artifact is skipped without reading a blob', async () => {
    const before = proxy.requests.length;
    const run = await replicate(['--from', `${proxy.url}/team/*`, '--to', 'local/imported/', '--data-dir', dataDir, '--src-creds', creds]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ copied: 0, skipped: 3, failed: 0, bytes: 0 });
    expect(proxy.requests.slice(before).filter((r) => r.includes('/blobs/'))).toEqual([]);
  });

  it('filters: --semver over tags, --filter over names, --platform picks one image of an index', async () => {
    const semver = await replicate(['--from', `${proxy.url}/**`, '--to', 'local/semver/', '--data-dir', dataDir, '--src-creds', creds, '--semver', '>=1.5', '--filter', 'team/**']);
    expect(semver.code, semver.stderr).toBe(0);
    expect(semver.events.filter((e) => e.type === 'artifact').map((e) => e.source)).toEqual(['team/app:2.0.0']);
    const arm = await replicate(['--from', `${proxy.url}/team/app:multi`, '--to', 'local/arm/', '--data-dir', dataDir, '--src-creds', creds, '--platform', 'linux/arm64']);
    expect(arm.code, arm.stderr).toBe(0);
    const nora = await startNora({ dataDir });
    try {
      const res = await fetch(`${nora.url}/v2/arm/team/app/manifests/multi`, { headers: { accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json' } });
      expect(res.headers.get('content-type')).toBe('application/vnd.oci.image.manifest.v1+json');
      expect(JSON.parse(await res.text()).layers).toEqual([expect.objectContaining({ digest: seeded.layers.small.digest })]);
    } finally {
      await nora.stop({ keepData: true });
    }
  });

  it('refuses a pattern over Docker Hub, which has no catalog, before any request', async () => {
    const run = await replicate(['--from', 'docker.io/library/*', '--to', 'local/hub/', '--data-dir', dataDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('docker.io cannot list its repositories');
    expect(run.stderr).toContain('name each repository explicitly');
  });
});
