// A server stopping gracefully gives its replication claims back: the item whose request to the
// remote is in flight, and the item of the same repository waiting its turn behind it, are both
// pending again at once, claimable by the next server, with the attempt not counted and nothing
// recorded as a failure. The remote is a loopback HTTP server that holds the first request until
// the test lets it answer, so the shutdown lands while the item runs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableQueue } from '../../../src/lib/coordination/durable-queue.js';
import { replicationRunnerFor, type ReplicationItem } from '../../../src/lib/ops/replicate/rules/replication-runner.js';
import { eventually } from '../../helpers/eventually.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

const held: Array<{ req: IncomingMessage; res: ServerResponse }> = [];
const remote = createServer((req, res) => { held.push({ req, res }); });
let nora: TestApp | undefined;

afterEach(async () => {
  for (const { res } of held.splice(0)) res.destroy();
  await nora?.close();
  nora = undefined;
  await new Promise<void>((resolve) => remote.close(() => resolve()));
});

describe('replication rules at a graceful shutdown', () => {
  it('release the running item and the one waiting behind it: pending, claimable at once, no attempt counted', async () => {
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
    nora = await buildTestApp({
      mutate: (config) => {
        config.replication = [{
          name: 'dc2', direction: 'push', trigger: 'event', schedule: '', remote: url, username: '', password_file: '', password_env: '', token_env: '',
          filter: [], formats: ['oci'], tags: '', semver: '', dest_prefix: '', delete: true,
        }];
      },
    });
    await nora.app.ready(); // starts the rule's worker
    const { services } = nora;
    // Two tag deletions of one repository: they run one after the other, the first held by the remote.
    for (const tag of ['1.0', '2.0']) services.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'oci', name: 'team/app', reference: tag } });
    await eventually(() => held.length, (n) => n === 1, { timeoutMs: 30_000, intervalMs: 20 });
    expect(held[0]!.req.method).toBe('DELETE');
    const queue = new DurableQueue<ReplicationItem>(services.store, 'replication-dc2');
    const claimed = await eventually(async () => (await queue.list({ active: true })).items, (items) => items.length === 2 && items.every((i) => i.state === 'claimed'), { timeoutMs: 30_000, intervalMs: 20 });
    expect(claimed.map((i) => i.state)).toEqual(['claimed', 'claimed']);

    const runner = replicationRunnerFor(services, { info: () => undefined, warn: () => undefined });
    const stopping = runner.stop(); // what the server's close does
    held[0]!.res.writeHead(503).end(); // the request in flight ends; the worker sees it stopped
    await stopping;

    const items = (await queue.list({ active: true })).items;
    expect(items.map((i) => ({ tag: i.payload.tag, state: i.state, attempts: i.attempts, claim: i.claim, lastError: i.lastError })).sort((a, b) => a.tag.localeCompare(b.tag))).toEqual([
      { tag: '1.0', state: 'pending', attempts: 0, claim: undefined, lastError: undefined },
      { tag: '2.0', state: 'pending', attempts: 0, claim: undefined, lastError: undefined },
    ]);
    expect(items.every((i) => i.availableAt <= Date.now())).toBe(true);
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'dc2', pending: 2, failed: 0, failures: [] });
    expect(held).toHaveLength(1); // the second item never reached the remote
  });
});
