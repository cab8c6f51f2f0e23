// Access control across three nodes on one bucket: API tokens live in the bucket, so a token made
// on one node works on the others and a revocation on one fails everywhere at the next request;
// the htpasswd file is one file every node reads (here the same path; in a deployment one Secret
// mounted on every pod), so a user added to it logs in on any node within about a second.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { eventually } from '../../helpers/eventually.js';
import { startCluster, type NoraCluster } from '../../helpers/nora-cluster.js';

const ALICE = 'alice-cluster-pw-1';
let cluster: NoraCluster;
let dir: string;
let htpasswd: string;

describe('auth shared by three nodes on one bucket', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nora-cluster-auth-'));
    htpasswd = writeHtpasswd({ alice: ALICE });
    const config = path.join(dir, 'nora.toml');
    await writeFile(config, `[auth]\nenabled = true\nhtpasswd_file = "${htpasswd}"\n\n[[auth.rules]]\nsubject = "alice"\npermissions = ["admin:*"]\n\n[[auth.rules]]\nsubject = "carol"\npermissions = ["pull:*"]\n\n[npm]\nupstream = ""\n`);
    cluster = await startCluster(3, { args: ['--config', config] });
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(path.dirname(htpasswd), { recursive: true, force: true });
  });

  const whoami = (node: number, authorization: string) =>
    fetch(`${cluster.nodes[node]!.url}/npm/-/whoami`, { headers: { authorization } }).then((r) => r.status);

  it('a token made on one node works on all; revoked on another, it fails on every node at the next request', async () => {
    const created = await fetch(`${cluster.nodes[0]!.url}/api/tokens`, {
      method: 'POST', headers: { authorization: basic('alice', ALICE), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'cluster', permissions: ['pull:*'] }),
    });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: string };
    expect(await Promise.all([0, 1, 2].map((node) => whoami(node, `Bearer ${token}`)))).toEqual([200, 200, 200]);
    const revoked = await fetch(`${cluster.nodes[1]!.url}/api/tokens/${id}`, { method: 'DELETE', headers: { authorization: basic('alice', ALICE) } });
    expect(revoked.status).toBe(200);
    expect(await Promise.all([0, 1, 2].map((node) => whoami(node, `Bearer ${token}`)))).toEqual([401, 401, 401]);
  }, 60_000);

  it('a user added to the shared htpasswd file logs in on every node', async () => {
    expect(await whoami(2, basic('carol', 'carol-cluster-pw'))).toBe(401);
    await appendFile(htpasswd, `carol:${bcrypt.hashSync('carol-cluster-pw', 4)}\n`);
    // Each node re-checks the file's mtime at most once a second: wait for that, on every node.
    const statuses = await Promise.all([0, 1, 2].map((node) =>
      eventually(() => whoami(node, basic('carol', 'carol-cluster-pw')), (status) => status === 200, { intervalMs: 250, timeoutMs: 10_000 })));
    expect(statuses).toEqual([200, 200, 200]);
  }, 60_000);
});
