// Several servers on one store: every server's schedule fires, one takes the store's lease and runs
// the pass, the others skip the tick (retention and gc alike). Two full service sets share one
// store; the clock is injected, so the lease's expiry is reached by moving it, not by waiting.
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { fetchHttp, pushImage } from '../../helpers/oci-client.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { Leases } from '../../../src/lib/coordination/leases.js';
import { RetentionRunner } from '../../../src/lib/ops/retention/runner.js';
import { GcRunner } from '../../../src/lib/ops/gc-runner.js';

let store: MemoryStore;
let servers: TestApp[];
let clock: number;
const now = () => clock;

beforeEach(async () => {
  store = new MemoryStore();
  clock = Date.now();
  const rules = (config: TestApp['config']) => {
    config.retention.rules = [{ match: '*/*', format: 'oci', keep_last: 1, older_than: 0, not_pulled_for: 0, keep_last_pulled: -1, protect: [], allow_empty: false, untagged_older_than: 0, action: 'yank' }];
  };
  servers = [await buildTestApp({ store, mutate: rules }), await buildTestApp({ store, mutate: rules })];
});
afterEach(async () => { for (const s of servers) await s.close(); });

describe('scheduled passes on several servers of one store', () => {
  it('retention: one server runs a tick\'s pass, the other skips it; the next tick runs again', async () => {
    const a = servers[0]!;
    await a.app.listen({ host: '127.0.0.1', port: 0 });
    const http = fetchHttp(`http://127.0.0.1:${(a.app.server.address() as AddressInfo).port}`);
    for (const tag of ['t1', 't2', 't3']) await pushImage(http, 'app', tag, { layers: [`app ${tag}`] });
    const deleted: string[] = [];
    for (const s of servers) s.services.events.subscribe((e) => { if (e.type === 'ArtifactDeleted') deleted.push(`${e.actor ?? ''} ${e.artifact.reference ?? ''}`); });

    const runners = servers.map((s) => new RetentionRunner(s.services, (error) => { throw error; }, now, new Leases(store, { now })));
    const ran = await Promise.all(runners.map((r) => r.tick(60_000)));
    expect(ran.filter(Boolean)).toHaveLength(1);
    const winner = runners[ran.indexOf(true)]!;
    expect(winner.state).toMatchObject({ phase: 'done', deleted: 2 });
    expect(runners[ran.indexOf(false)]!.state.phase).toBe('idle');
    expect(deleted.sort()).toEqual(['retention t1', 'retention t2']);

    // Still the same tick (a server whose cron fired late): skipped.
    expect(await runners[ran.indexOf(false)]!.tick(60_000)).toBe(false);
    // The next tick: the lease has expired, someone runs (and finds nothing more).
    clock += 60_000;
    const next = await Promise.all(runners.map((r) => r.tick(60_000)));
    expect(next.filter(Boolean)).toHaveLength(1);
    expect(deleted).toHaveLength(2);
  });

  it('gc: one server collects per tick', async () => {
    const runners = servers.map((s) => new GcRunner(s.services, (error) => { throw error; }, new Leases(store, { now })));
    const ran = await Promise.all(runners.map((r) => r.tick(3_600_000)));
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runners.map((r) => r.state.phase).sort()).toEqual(['done', 'idle']);
  });
});
