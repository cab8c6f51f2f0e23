// [[replication]] rules of three servers on one Ceph RGW bucket (three service sets in this
// process, each with its own S3 client) pushing to one real registry (CNCF distribution on
// loopback) behind a counting proxy: an event rule's durable queue in the store hands each push
// to one server, so the registry gets each manifest once; a schedule rule's ticks, fired on all
// three at one injected time, run one pass (the rule's lease in the store), and a late tick none.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NoraConfig } from '../../../src/lib/config/schema.js';
import { Leases } from '../../../src/lib/coordination/leases.js';
import { ReplicationRunner, replicationRunnerFor, type RunnerLog } from '../../../src/lib/ops/replicate/rules/replication-runner.js';
import { S3Store } from '../../../src/lib/storage/s3-store.js';
import { startDistribution, type DistributionRegistry } from '../../helpers/docker-registry.js';
import { eventually } from '../../helpers/eventually.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { injectHttp, pushImage } from '../../helpers/oci-client.js';
import { rgwBucket } from '../../helpers/rgw.js';
import type { S3TestServer } from '../../helpers/s3-server.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

type Rule = NoraConfig['replication'][number];

const baseRule: Omit<Rule, 'name' | 'trigger' | 'schedule' | 'remote'> = {
  direction: 'push', username: '', password_file: '', password_env: '', token_env: '', filter: [], formats: ['oci'], tags: '', semver: '', dest_prefix: 'dc1/', delete: false,
};

/** Logs of the runners: every warning is a failure the test shows. */
function recordingLog(): RunnerLog & { warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = [];
  return { warnings, info: () => undefined, warn: (fields, message) => { warnings.push({ ...fields, message }); } };
}

/** The registry's digest for repo:tag, read straight from it (not through the counting proxy). */
async function remoteDigest(registry: DistributionRegistry, repo: string, tag: string): Promise<string | null> {
  const response = await fetch(`${registry.url}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  return response.ok ? response.headers.get('docker-content-digest') : null;
}

describe('replication runs once across three servers on one RGW bucket', () => {
  let bucket: S3TestServer;
  let registry: DistributionRegistry;
  let proxy: FaultProxy;
  let servers: TestApp[] = [];
  let clock: number;
  const now = () => clock;
  const manifestPuts = () => proxy.requests.filter((r) => /^PUT \/v2\/.+\/manifests\//.test(r));

  const startServers = async (rule: Pick<Rule, 'name' | 'trigger' | 'schedule'>) => {
    const store = () => new S3Store({ bucket: bucket.bucket, region: bucket.region, endpoint: bucket.endpoint, pathStyle: true, credentials: bucket.credentials });
    servers = await Promise.all([0, 1, 2].map(() => buildTestApp({ store: store(), mutate: (config) => { config.replication = [{ ...baseRule, ...rule, remote: proxy.url }]; } })));
  };

  beforeEach(async () => {
    [bucket, registry] = await Promise.all([rgwBucket(), startDistribution()]);
    proxy = await startFaultProxy(registry.url);
    clock = Date.now();
  }, 60_000);
  afterEach(async () => {
    for (const server of servers) await server.close();
    servers = [];
    await proxy?.close();
    await registry?.cleanup();
    await bucket?.stop();
  });

  it('an event rule: 6 pushes spread over the three are queued once each and reach the registry once each', { timeout: 60_000 }, async () => {
    await startServers({ name: 'dc1', trigger: 'event', schedule: '' });
    const pushes = Array.from({ length: 6 }, (_, i) => ({ server: servers[i % 3]!, repo: `team/app${i % 2}`, tag: `v${i}` }));
    const images = await Promise.all(pushes.map(({ server, repo, tag }) => pushImage(injectHttp(server.app), repo, tag, { layers: [`layer ${tag}`] })));

    // The queue is one document set in the bucket: any server's status shows all of it.
    const runners = servers.map((s) => replicationRunnerFor(s.services, recordingLog()));
    const drained = await eventually(async () => (await runners[0]!.status())[0]!, (s) => s.pending === 0 && s.copied >= 6, { timeoutMs: 45_000 });
    expect(drained).toMatchObject({ pending: 0, copied: 6, failed: 0, failures: [] });

    expect(manifestPuts().sort()).toEqual(pushes.map(({ repo, tag }) => `PUT /v2/dc1/${repo}/manifests/${tag}`).sort());
    for (const [i, { repo, tag }] of pushes.entries()) expect(await remoteDigest(registry, `dc1/${repo}`, tag)).toBe(images[i]!.digest);
    // Every server sees the same shared counters: nothing was done twice by another one.
    for (const runner of runners.slice(1)) expect((await runner.status())[0]).toMatchObject({ pending: 0, copied: 6, failed: 0 });
  });

  it('a schedule rule: ticks on all three at one injected time run one pass; a late tick none; the next tick one again', { timeout: 60_000 }, async () => {
    // The servers' own cron would fire on 1 January only: the ticks here are the test's.
    await startServers({ name: 'nightly', trigger: 'schedule', schedule: '0 0 1 1 *' });
    const http = injectHttp(servers[0]!.app);
    const images = await Promise.all(['1.0', '2.0'].map((tag) => pushImage(http, 'team/tool', tag, { layers: [`tool ${tag}`] })));
    const logs = servers.map(() => recordingLog());
    const runners = servers.map((s, i) => new ReplicationRunner(s.services, logs[i]!, { leases: new Leases(s.services.store, { now }) }));

    const ran = await Promise.all(runners.map((r) => r.tick('nightly', 60_000)));
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(manifestPuts().sort()).toEqual(['PUT /v2/dc1/team/tool/manifests/1.0', 'PUT /v2/dc1/team/tool/manifests/2.0']);
    expect(await remoteDigest(registry, 'dc1/team/tool', '1.0')).toBe(images[0]!.digest);
    expect(await remoteDigest(registry, 'dc1/team/tool', '2.0')).toBe(images[1]!.digest);

    // A server whose cron fires a little after the pass finished finds the lease still held.
    expect(await Promise.all(runners.map((r) => r.tick('nightly', 60_000)))).toEqual([false, false, false]);
    clock += 60_000;
    const next = await Promise.all(runners.map((r) => r.tick('nightly', 60_000)));
    expect(next.filter(Boolean)).toHaveLength(1);
    // The second pass found both tags at the registry: no manifest sent again.
    expect(manifestPuts()).toHaveLength(2);
    const status = (await runners[0]!.status())[0]!;
    expect(status).toMatchObject({ copied: 2, failed: 0, failures: [] });
    expect(logs.flatMap((l) => l.warnings)).toEqual([]);
    await Promise.all(runners.map((r) => r.stop()));
  });
});
