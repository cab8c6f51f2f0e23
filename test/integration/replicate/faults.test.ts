// `nora replicate` from docker-registry behind the fault proxy into a running NORA (a remote
// given by URL): 5xx, a 429 with Retry-After and a connection cut mid-blob are retried and the
// copy completes byte-exact; a blob that keeps failing fails its artifacts only (summary, exit
// 1); a run killed mid-transfer and run again completes without sending any blob twice.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistribution, type DistributionRegistry } from '../../helpers/docker-registry.js';
import { eventually } from '../../helpers/eventually.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { cleanEnv, noraCommand, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { parseLines, replicate, seedImages, type SeededImages } from '../../helpers/replicate-fixtures.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

let registry: DistributionRegistry;
let proxy: FaultProxy;
let skopeo: Skopeo;
let seeded: SeededImages;
let nora: NoraServer;

beforeAll(async () => {
  registry = await startDistribution();
  proxy = await startFaultProxy(registry.url);
  skopeo = await makeSkopeo();
  seeded = await seedImages(skopeo, registry.host, { bigSize: 8 * 1024 * 1024 });
}, 120_000);

afterAll(async () => {
  await nora?.stop();
  await proxy?.close();
  await registry?.cleanup();
  await skopeo?.cleanup();
  await seeded?.cleanup();
});

const inspect = async (host: string, ref: string) => JSON.parse(await skopeo.run('inspect', '--raw', '--tls-verify=false', `docker://${host}/${ref}`)) as unknown;

describe('replicate through faults', () => {
  it('retries 5xx, waits out a 429\'s Retry-After, re-sends a blob cut mid-way, and copies byte-exact', async () => {
    nora = await startNora();
    const big = seeded.layers.big.digest;
    proxy.faults.push(
      { match: /^GET \/v2\/team\/app\/manifests\/2\.0\.0/, status: 503, times: 4 },
      { match: new RegExp(`^GET /v2/team/app/blobs/${big}`), status: 429, headers: { 'retry-after': '1' }, times: 1 },
      { match: new RegExp(`^GET /v2/team/app/blobs/${big}`), cutAfter: 1024 * 1024, times: 1 },
    );
    const run = await replicate(['--from', `${proxy.url}/team/app`, '--to', `${nora.url}/mirror/app`]);
    proxy.faults.length = 0;
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 3, failed: 0 });
    const retries = run.events.filter((e) => e.type === 'retry');
    expect(retries.some((r) => r.wait_ms === 1000 && String(r.reason).includes('rate-limiting'))).toBe(true);
    expect(retries.some((r) => String(r.what).includes('manifest team/app:2.0.0'))).toBe(true);
    expect(retries.some((r) => String(r.what).includes(`blob ${big}`) && !String(r.reason).includes('rate'))).toBe(true);
    // 429, cut, then the full copy: three GETs of the big blob, one PUT that completed.
    expect(proxy.count(new RegExp(`^GET /v2/team/app/blobs/${big}`))).toBe(3);
    const host = new URL(nora.url).host;
    for (const tag of ['1.0.0', '2.0.0', 'multi']) expect(await inspect(host, `mirror/app:${tag}`)).toEqual(await inspect(registry.host, `team/app:${tag}`));
    const blob = await fetch(`${nora.url}/v2/mirror/app/blobs/${big}`);
    expect(blob.status).toBe(200);
    expect(Number(blob.headers.get('content-length'))).toBe(seeded.layers.big.size);
    await blob.body?.cancel();
  });

  it('a blob that keeps failing fails only the artifacts that need it, each listed with its reason; exit 1', async () => {
    const small = seeded.layers.small.digest;
    proxy.faults.push({ match: new RegExp(`^GET /v2/other/tool/blobs/${small}`), status: 500 });
    const run = await replicate(['--from', `${proxy.url}/other/*`, '--to', `${nora.url}/broken`, '--retries', '2']);
    const team = await replicate(['--from', `${proxy.url}/team/app:1.0.0`, '--to', `${nora.url}/fine/app`]);
    proxy.faults.length = 0;
    expect(run.code).toBe(1);
    expect(run.summary).toMatchObject({ failed: 1, copied: 0 });
    expect(run.summary.failures).toEqual([expect.objectContaining({ artifact: 'other/tool:0.1', reason: expect.stringContaining('status 500') })]);
    expect((await fetch(`${nora.url}/v2/broken/other/tool/manifests/0.1`, { method: 'HEAD' })).status).toBe(404);
    expect(team.code, team.stderr).toBe(0);
  });

  it('killed mid-transfer and run again: completes, no blob is sent twice, digests identical', async () => {
    const big = seeded.layers.big.digest;
    // Hold the big blob at the source until the first run has been killed.
    proxy.faults.push({ match: new RegExp(`^GET /v2/team/app/blobs/${big}`), delayMs: 600_000, times: 1 });
    const bigGets = () => proxy.count(new RegExp(`^GET /v2/team/app/blobs/${big}`));
    const baseline = bigGets();
    const [cmd, ...lead] = noraCommand();
    const args = [...lead, 'replicate', '--from', `${proxy.url}/team/app`, '--to', `${nora.url}/resumed/app`, '--json'];
    const child = spawn(cmd, args, { env: { ...cleanEnv(), HOME: os.tmpdir(), DOCKER_CONFIG: path.join(os.tmpdir(), 'nora-no-docker-config') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Killed once it has copied blobs and is waiting for the big one.
    const seen = await eventually(() => ({ held: bigGets() > baseline, copied: parseLines(stdout).events.filter((e) => e.type === 'blob' && e.status === 'copied').length }), (s) => s.held && s.copied >= 2);
    expect(seen.held).toBe(true);
    child.kill('SIGKILL');
    await exited;
    proxy.faults.length = 0;
    const first = parseLines(stdout).events.filter((e) => e.type === 'blob' && e.status === 'copied').map((e) => e.digest);
    expect(first.length).toBeGreaterThanOrEqual(2);
    expect(first).not.toContain(big);

    const before = proxy.requests.length;
    const second = await replicate(['--from', `${proxy.url}/team/app`, '--to', `${nora.url}/resumed/app`]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.summary.failed).toBe(0);
    const again = second.events.filter((e) => e.type === 'blob' && e.status === 'copied').map((e) => e.digest);
    expect(again).toContain(big);
    for (const digest of first) {
      expect(again).not.toContain(digest);
      expect(proxy.requests.slice(before).filter((r) => r.startsWith(`GET /v2/team/app/blobs/${String(digest)}`))).toEqual([]);
    }
    const host = new URL(nora.url).host;
    for (const tag of ['1.0.0', '2.0.0', 'multi']) expect(await inspect(host, `resumed/app:${tag}`)).toEqual(await inspect(registry.host, `team/app:${tag}`));
  });
});
