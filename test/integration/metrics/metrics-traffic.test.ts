// /metrics of a real `nora serve` after real client traffic: skopeo pushes and pulls images,
// npm publishes and installs a package; the exposition then has per-repository pushes, pulls and
// bytes (with the max_series guard putting the repository past the limit under "(other)"), the
// gc counters after a run, and every series the Grafana dashboard in deploy/ graphs.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { exports, metricsOfExpr, scrape } from '../../helpers/exposition.js';
import { ROOT, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { OciLayout } from '../../helpers/oci-layout.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

const LAYER = 'application/vnd.oci.image.layer.v1.tar';
const LAYER_SIZE = 300 * 1024;
let work: string;
let nora: NoraServer;
let skopeo: Skopeo;
let sb: NpmSandbox;
let consumerSb: NpmSandbox;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-metrics-'));
  const src = new OciLayout(path.join(work, 'src'));
  await src.tag('v1', await src.addImage([await src.addRandomBlob(LAYER_SIZE, LAYER)]));
  const config = path.join(work, 'nora.toml');
  await writeFile(config, '[metrics]\nmax_series = 3\n\n[[tenants]]\nname = "team"\nstorage_quota = "1GB"\n');
  nora = await startNora({ args: ['--config', config] });
  skopeo = await makeSkopeo();
  sb = await npmSandbox(nora.url);
  const host = new URL(nora.url).host;
  // Three names take the three series (team/a, then the npm package, then team/b); team/c is "(other)".
  await skopeo.run('copy', '--dest-tls-verify=false', `oci:${src.dir}:v1`, `docker://${host}/team/a:v1`);
  const pkg = await sb.writePackage({ name: 'metrics-demo', version: '1.0.0', main: 'index.js' }, { 'index.js': 'x'.repeat(4096) });
  const published = await sb.npm(['publish'], pkg);
  expect(published.code, published.stderr).toBe(0);
  await skopeo.run('copy', '--dest-tls-verify=false', `oci:${src.dir}:v1`, `docker://${host}/team/b:v1`);
  await skopeo.run('copy', '--dest-tls-verify=false', `oci:${src.dir}:v1`, `docker://${host}/team/c:v1`);
  await skopeo.run('copy', '--src-tls-verify=false', '--dest-oci-accept-uncompressed-layers', `docker://${host}/team/a:v1`, `oci:${path.join(work, 'out')}:x`);
  const consumer = await sb.writePackage({ name: 'consumer', version: '1.0.0', dependencies: { 'metrics-demo': '1.0.0' } });
  // Its own sandbox: publishing put the tarball in the publisher's npm cache.
  consumerSb = await npmSandbox(nora.url);
  const installed = await consumerSb.npm(['install', '--no-package-lock'], consumer);
  expect(installed.code, installed.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await nora?.stop();
  await skopeo?.cleanup();
  await sb?.cleanup();
  await consumerSb?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('/metrics after real client traffic', () => {
  it('counts pushes and pulls per repository from the event bus (an image push is one push, not one per blob)', async () => {
    const m = await scrape(nora.url);
    expect(m.value('nora_repository_pushes_total', { format: 'oci', repository: 'team/a' })).toBe(1);
    expect(m.value('nora_repository_pushes_total', { format: 'oci', repository: 'team/b' })).toBe(1);
    expect(m.value('nora_repository_pulls_total', { format: 'oci', repository: 'team/a' })).toBeGreaterThanOrEqual(1);
    expect(m.value('nora_repository_pulls_total', { format: 'oci', repository: 'team/b' })).toBeUndefined();
    expect(m.value('nora_repository_pushes_total', { format: 'npm', repository: 'metrics-demo' })).toBe(1);
    expect(m.value('nora_repository_pulls_total', { format: 'npm', repository: 'metrics-demo' })).toBe(1);
  });

  it('puts the repository past [metrics] max_series under "(other)", never its own series', async () => {
    const m = await scrape(nora.url);
    expect(m.value('nora_repository_pushes_total', { format: 'oci', repository: '(other)' })).toBe(1);
    expect(m.text).not.toContain('repository="team/c"');
  });

  it('counts the bytes each repository received and sent, layer uploads and blob downloads included', async () => {
    const m = await scrape(nora.url);
    expect(m.value('nora_repository_received_bytes_total', { format: 'oci', repository: 'team/a' })).toBeGreaterThanOrEqual(LAYER_SIZE);
    expect(m.value('nora_repository_sent_bytes_total', { format: 'oci', repository: 'team/a' })).toBeGreaterThanOrEqual(LAYER_SIZE);
    // team/b was only pushed: what it was sent is small answers (upload sessions, 404 probes), no layer.
    expect(m.value('nora_repository_sent_bytes_total', { format: 'oci', repository: 'team/b' }) ?? 0).toBeLessThan(LAYER_SIZE);
    expect(m.value('nora_repository_received_bytes_total', { format: 'npm', repository: 'metrics-demo' })).toBeGreaterThan(0);
    expect(m.value('nora_repository_sent_bytes_total', { format: 'npm', repository: 'metrics-demo' })).toBeGreaterThan(0);
  });

  it('counts a gc run, its duration and what it freed', async () => {
    const started = await fetch(`${nora.url}/api/gc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dry_run: true }) });
    expect(started.status).toBeLessThan(300);
    const m = await eventually(() => scrape(nora.url), (x) => x.value('nora_gc_runs_total', { result: 'done', dry_run: 'true' }) === 1);
    expect(m.value('nora_gc_runs_total', { result: 'done', dry_run: 'true' })).toBe(1);
    expect(m.value('nora_gc_duration_seconds_count', { dry_run: 'true' })).toBe(1);
    expect(m.value('nora_gc_bytes_freed_total')).toBe(0);
  });

  it('exports every metric the Grafana dashboard graphs', async () => {
    const dashboard = JSON.parse(await readFile(path.join(ROOT, 'deploy', 'grafana', 'nora-dashboard.json'), 'utf8')) as { panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }> };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    expect(exprs.length).toBeGreaterThan(20);
    const m = await scrape(nora.url);
    const missing = exprs.flatMap(({ panel, expr }) => {
      const names = metricsOfExpr(expr);
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      return names.filter((name) => !exports(m, name)).map((name) => `${panel}: ${name}`);
    });
    expect(missing).toEqual([]);
  });
});
