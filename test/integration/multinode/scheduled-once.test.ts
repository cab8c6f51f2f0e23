// Work that must happen once per store, not once per server, on one Ceph RGW bucket shared by
// three servers: a scheduled gc or retention tick runs on the one server that takes the store's
// lease (three service sets in this process, each with its own S3 client, and an injected clock
// instead of waiting for cron or expiry), and webhook deliveries of events taken by any of three
// `nora serve` processes reach the receiver once each.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Leases } from '../../../src/lib/coordination/leases.js';
import { GcRunner } from '../../../src/lib/ops/gc-runner.js';
import { RetentionRunner } from '../../../src/lib/ops/retention/runner.js';
import { S3Store } from '../../../src/lib/storage/s3-store.js';
import { eventually } from '../../helpers/eventually.js';
import { startCluster, type NoraCluster } from '../../helpers/nora-cluster.js';
import { publish } from '../../helpers/npm-http.js';
import { fetchHttp, pushImage } from '../../helpers/oci-client.js';
import { rgwBucket } from '../../helpers/rgw.js';
import type { S3TestServer } from '../../helpers/s3-server.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { hookToml } from '../../helpers/webhook-config.js';
import { startReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

describe('scheduled passes of three servers on one RGW bucket', () => {
  let bucket: S3TestServer;
  let servers: TestApp[];
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    bucket = await rgwBucket();
    clock = Date.now();
    const store = () => new S3Store({ bucket: bucket.bucket, region: bucket.region, endpoint: bucket.endpoint, pathStyle: true, credentials: bucket.credentials });
    const rules = (config: TestApp['config']) => {
      config.retention.rules = [{ match: '*/*', format: 'oci', keep_last: 1, older_than: 0, not_pulled_for: 0, keep_last_pulled: -1, protect: [], allow_empty: false, untagged_older_than: 0, action: 'yank' }];
    };
    servers = await Promise.all([0, 1, 2].map(() => buildTestApp({ store: store(), mutate: rules })));
  }, 60_000);
  afterEach(async () => {
    for (const server of servers ?? []) await server.close();
    await bucket?.stop();
  });

  it('retention: each tick runs on one of the three; a late tick is skipped; the next tick runs once again', async () => {
    const a = servers[0]!;
    await a.app.listen({ host: '127.0.0.1', port: 0 });
    const http = fetchHttp(`http://127.0.0.1:${(a.app.server.address() as AddressInfo).port}`);
    for (const tag of ['t1', 't2', 't3']) await pushImage(http, 'app', tag, { layers: [`app ${tag}`] });
    const deleted: string[] = [];
    for (const s of servers) s.services.events.subscribe((e) => { if (e.type === 'ArtifactDeleted') deleted.push(e.artifact.reference ?? ''); });

    const runners = servers.map((s) => new RetentionRunner(s.services, (error) => { throw error; }, now, new Leases(s.services.store, { now })));
    const ran = await Promise.all(runners.map((r) => r.tick(60_000)));
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runners[ran.indexOf(true)]!.state).toMatchObject({ phase: 'done', deleted: 2 });
    expect(deleted.sort()).toEqual(['t1', 't2']);
    expect(await Promise.all(runners.map((r) => r.tick(60_000)))).toEqual([false, false, false]);
    clock += 60_000;
    const next = await Promise.all(runners.map((r) => r.tick(60_000)));
    expect(next.filter(Boolean)).toHaveLength(1);
    expect(deleted).toHaveLength(2);
  });

  it('gc: one of the three collects per tick, the others skip it', async () => {
    const runners = servers.map((s) => new GcRunner(s.services, (error) => { throw error; }, new Leases(s.services.store, { now })));
    const ran = await Promise.all(runners.map((r) => r.tick(3_600_000)));
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runners.map((r) => r.state.phase).sort()).toEqual(['done', 'idle', 'idle']);
    clock += 3_600_000;
    expect((await Promise.all(runners.map((r) => r.tick(3_600_000)))).filter(Boolean)).toHaveLength(1);
  });
});

describe('webhook deliveries of three nodes on one RGW bucket', () => {
  let cluster: NoraCluster;
  let receiver: WebhookReceiver;
  let dir: string;
  afterAll(async () => {
    await cluster?.stop();
    await receiver?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('9 publishes spread over the nodes: each event is delivered and acknowledged once, by one node', { timeout: 120_000 }, async () => {
    receiver = await startReceiver();
    dir = await mkdtemp(path.join(os.tmpdir(), 'nora-multinode-hooks-'));
    const config = path.join(dir, 'nora.toml');
    await writeFile(config, `[npm]\nupstream = ""\n\n${hookToml({ name: 'ci', url: receiver.url, events: ['push'], retry_delay: '200ms', timeout: '5s', max_attempts: 20 })}`);
    cluster = await startCluster(3, { args: ['--config', config] });
    const responses = await Promise.all(Array.from({ length: 9 }, (_, i) => publish(cluster.nodes[i % 3]!.url, `hooked-${i}`, { version: '1.0.0' })));
    expect(responses.map((r) => r.status).every((s) => s === 200 || s === 201)).toBe(true);
    const acks = await eventually(() => receiver.acknowledged(), (map) => map.size >= 9, { timeoutMs: 60_000 });
    expect(acks.size).toBe(9);
    // Stopping waits for every dispatcher: a delivery sent twice would be in the receiver's list now.
    const nodes = cluster.nodes;
    await Promise.all(nodes.map((node) => node.stop({ keepData: true })));
    expect([...receiver.acknowledged().values()]).toEqual(Array(9).fill(1));
    expect(receiver.requests).toHaveLength(9);
    const names = receiver.requests.map((r) => (r.json.artifact as { name: string }).name).sort();
    expect(names).toEqual(Array.from({ length: 9 }, (_, i) => `hooked-${i}`).sort());
    const delivered = nodes.map((node) => node.logs().split('\n').filter((line) => line.includes('"msg":"webhook delivered"')).length);
    expect(delivered.reduce((sum, n) => sum + n, 0)).toBe(9);
  });
});
