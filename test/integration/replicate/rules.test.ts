// [[replication]] rules in `nora serve`: a push of a matching tag is copied to the remote
// (docker-registry, a NORA); while the remote is down the item waits in the store with its
// reason (GET /api/replication, `nora replicate status`) and is retried; it survives a restart
// of the server; a tag deletion is propagated with delete = true; other repositories are not.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistribution, type DistributionRegistry } from '../../helpers/docker-registry.js';
import { eventually } from '../../helpers/eventually.js';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { fetchHttp, pushImage } from '../../helpers/oci-client.js';
import type { RuleStatus } from '../../../src/lib/ops/replicate/rules/replication-runner.js';

let remote: DistributionRegistry;
let mirror: NoraServer;
let nora: NoraServer;
let dir: string;
let config: string;
let dataDir: string;

const status = async () => (await (await fetch(`${nora.url}/api/replication`)).json() as { rules: RuleStatus[] }).rules;
const rule = async (name: string) => (await status()).find((r) => r.name === name)!;
const remoteDigest = async (base: string, repo: string, tag: string) => {
  const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  return res.status === 200 ? res.headers.get('docker-content-digest') : undefined;
};
const within = { timeoutMs: 45_000, intervalMs: 200 };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-rules-'));
  dataDir = path.join(dir, 'data');
  await mkdir(dataDir);
  remote = await startDistribution();
  mirror = await startNora();
  config = path.join(dir, 'nora.toml');
  await writeFile(config, `[[replication]]\nname = "dc2"\nremote = "${remote.url}"\nfilter = ["team/**"]\ndest_prefix = "dc1/"\n\n[[replication]]\nname = "mirror"\nremote = "${mirror.url}"\nfilter = ["ops/*"]\ndelete = true\n`);
  nora = await startNora({ args: ['--config', config], dataDir });
});

afterAll(async () => {
  await nora?.stop();
  await mirror?.stop();
  await remote?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('[[replication]] rules', () => {
  it('copies each matching push to the remote under dest_prefix, and nothing else', async () => {
    const pushed = await pushImage(fetchHttp(nora.url), 'team/app', '1.0.0');
    await pushImage(fetchHttp(nora.url), 'other/app', '1.0.0');
    expect(await eventually(() => remoteDigest(remote.url, 'dc1/team/app', '1.0.0'), (d) => d !== undefined, within)).toBe(pushed.digest);
    expect(await eventually(() => rule('dc2'), (r) => r.pending === 0 && r.copied === 1, within)).toMatchObject({ pending: 0, copied: 1, failures: [] });
    expect(await remoteDigest(remote.url, 'dc1/other/app', '1.0.0')).toBeUndefined();
    expect((await rule('dc2')).bytes).toBeGreaterThan(0);
  });

  it('keeps an item while the remote is down, with its reason, and delivers it after a server restart', { timeout: 120_000 }, async () => {
    await remote.stop();
    const pushed = await pushImage(fetchHttp(nora.url), 'team/app', '2.0.0');
    const failing = await eventually(() => rule('dc2'), (r) => r.failures.length > 0, within);
    expect(failing.pending).toBe(1);
    expect(failing.failures[0]).toMatchObject({ state: 'pending', item: { op: 'copy', repo: 'team/app', tag: '2.0.0' } });
    expect(failing.failures[0]!.reason).toContain(remote.url.replace('http://', ''));
    expect(nora.logs()).toMatch(/"rule":"dc2".*"reason":"[^"]+".*"msg":"replication failed"/);

    const cli = await runNora(['replicate', 'status', '--server', nora.url, '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { rules: RuleStatus[] }).rules.find((r) => r.name === 'dc2')!.pending).toBe(1);
    const text = await runNora(['replicate', 'status', '--server', nora.url]);
    expect(text.stdout).toMatch(/dc2 -> http:\/\/127\.0\.0\.1:\d+: 1 waiting/);
    expect(text.stdout).toContain('pending copy team/app:2.0.0');

    // The queue lives in the store: a restarted server finds the item and delivers it.
    await nora.stop({ keepData: true });
    await remote.start();
    nora = await startNora({ args: ['--config', config], dataDir });
    expect(await eventually(() => remoteDigest(remote.url, 'dc1/team/app', '2.0.0'), (d) => d !== undefined, within)).toBe(pushed.digest);
    expect(await eventually(() => rule('dc2'), (r) => r.pending === 0, within)).toMatchObject({ pending: 0, failures: [] });
    const metrics = await eventually(async () => (await fetch(`${nora.url}/metrics`)).text(), (m) => m.includes('outcome="copied"'), within);
    expect(metrics).toMatch(/nora_replication_items_total\{rule="dc2",outcome="copied"\} 1/);
    expect(metrics).toMatch(/nora_replication_bytes_total\{rule="dc2"\} [1-9]/);
  });

  it('propagates a tag deletion with delete = true', async () => {
    await pushImage(fetchHttp(nora.url), 'ops/tool', 'v1');
    expect(await eventually(() => remoteDigest(mirror.url, 'ops/tool', 'v1'), (d) => d !== undefined, within)).toBeDefined();
    expect((await fetch(`${nora.url}/v2/ops/tool/manifests/v1`, { method: 'DELETE' })).status).toBe(202);
    expect(await eventually(() => remoteDigest(mirror.url, 'ops/tool', 'v1'), (d) => d === undefined, within)).toBeUndefined();
  });

  it('a schedule rule pulls the matching repositories of the remote into this store under dest_prefix', { timeout: 120_000 }, async () => {
    const pullConfig = path.join(dir, 'pull.toml');
    await writeFile(pullConfig, `[[replication]]\nname = "pull"\ndirection = "pull"\ntrigger = "schedule"\nschedule = "* * * * * *"\nremote = "${remote.url}"\nfilter = ["dc1/team/**"]\ndest_prefix = "pulled/"\n`);
    const puller = await startNora({ args: ['--config', pullConfig] });
    try {
      const expected = await remoteDigest(remote.url, 'dc1/team/app', '1.0.0');
      expect(expected).toBeDefined();
      expect(await eventually(() => remoteDigest(puller.url, 'pulled/dc1/team/app', '1.0.0'), (d) => d !== undefined, within)).toBe(expected);
      const state = (await (await fetch(`${puller.url}/api/replication`)).json() as { rules: RuleStatus[] }).rules[0]!;
      expect(state).toMatchObject({ name: 'pull', failures: [] });
      expect((state as unknown as { last_run?: string }).last_run).toBeDefined();
      expect(await remoteDigest(puller.url, 'pulled/other/app', '1.0.0')).toBeUndefined();
    } finally {
      await puller.stop();
    }
  });
});
