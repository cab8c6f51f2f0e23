// Three `nora serve` on one Ceph RGW bucket: concurrent npm publishes of distinct versions of one
// package, spread over the nodes, all succeed and none is lost or duplicated (the package document
// is a compare-and-swap on the bucket). Once with the npm CLI's wire body from many writers at
// once, once with the npm CLI itself. An OCI chunked upload moves from node to node.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type NoraCluster } from '../../helpers/nora-cluster.js';
import { npmSandbox } from '../../helpers/npm-cli.js';
import { publish } from '../../helpers/npm-http.js';
import { tarballBytes } from '../../helpers/npm-fixtures.js';
import { digestOf, fetchHttp, pathOf, withQuery } from '../../helpers/oci-client.js';

interface Packument { versions: Record<string, { dist: { tarball: string; shasum: string } }>; 'dist-tags': Record<string, string> }

describe('three nodes on one bucket', () => {
  let cluster: NoraCluster;
  beforeAll(async () => {
    cluster = await startCluster(3);
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const packumentFrom = async (node: number, name: string): Promise<Packument> => {
    const response = await fetch(`${cluster.nodes[node]!.url}/npm/${name}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Packument;
  };

  it('30 concurrent publishes of distinct versions: all succeed, every node serves all 30 and their tarballs', async () => {
    const versions = Array.from({ length: 30 }, (_, i) => `1.0.${i}`);
    const responses = await Promise.all(versions.map((version, i) => publish(cluster.nodes[i % 3]!.url, 'shared-pkg', { version })));
    const statuses = await Promise.all(responses.map(async (r) => `${r.status} ${r.status >= 300 ? await r.text() : ''}`.trim()));
    expect(statuses.filter((status) => !/^20[01]$/.test(status))).toEqual([]);
    // The figure for the README: how many conditional writes lost a race and were retried.
    const conflicts = await Promise.all(cluster.nodes.map(async (node) => {
      const text = await (await fetch(`${node.url}/metrics`)).text();
      return [...text.matchAll(/^nora_storage_conditional_conflicts_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    }));
    console.info(`30 publishes on 3 nodes: ${conflicts.reduce((a, b) => a + b, 0)} conditional-write retries (per node ${conflicts.join(', ')})`);
    for (const node of [0, 1, 2]) {
      const doc = await packumentFrom(node, 'shared-pkg');
      expect(Object.keys(doc.versions).sort()).toEqual([...versions].sort());
    }
    // Every tarball, read through a node other than the one that took its publish, has its bytes.
    for (const [i, version] of versions.entries()) {
      const doc = await packumentFrom((i + 1) % 3, 'shared-pkg');
      const tarball = await fetch(doc.versions[version]!.dist.tarball.replace(/^https?:\/\/[^/]+/, cluster.nodes[(i + 2) % 3]!.url));
      expect(tarball.status).toBe(200);
      const bytes = Buffer.from(await tarball.arrayBuffer());
      expect(bytes.equals(tarballBytes(`shared-pkg@${version}`))).toBe(true);
      expect(createHash('sha1').update(bytes).digest('hex')).toBe(doc.versions[version]!.dist.shasum);
    }
  }, 180_000);

  it('the npm CLI publishing 6 versions at once through the three nodes: npm view lists all of them', async () => {
    const sandboxes = await Promise.all(cluster.nodes.map((node) => npmSandbox(node.url)));
    try {
      const versions = Array.from({ length: 6 }, (_, i) => `2.0.${i}`);
      const results = await Promise.all(versions.map(async (version, i) => {
        const sandbox = sandboxes[i % 3]!;
        const dir = await sandbox.writePackage({ name: 'cli-shared', version });
        // A tag each: npm refuses to move `latest` to a lower version than one already published.
        return sandbox.npm(['publish', '--tag', `t${i}`, '--registry', sandbox.registry], dir);
      }));
      expect(results.map((r) => (r.code === 0 ? 0 : `${r.code}: ${r.stderr}`))).toEqual(Array(6).fill(0));
      for (const sandbox of sandboxes) {
        const view = await sandbox.npm(['view', 'cli-shared', 'versions', '--json', '--registry', sandbox.registry]);
        expect(view.code, view.stderr).toBe(0);
        expect((JSON.parse(view.stdout) as string[]).sort()).toEqual(versions);
        const tags = await sandbox.npm(['view', 'cli-shared', 'dist-tags', '--json', '--registry', sandbox.registry]);
        expect(JSON.parse(tags.stdout)).toMatchObject(Object.fromEntries(versions.map((version, i) => [`t${i}`, version])));
      }
    } finally {
      await Promise.all(sandboxes.map((sandbox) => sandbox.cleanup()));
    }
  }, 180_000);

  it('an OCI chunked upload started on one node continues on a second and completes on the third', async () => {
    const [a, b, c] = cluster.nodes.map((node) => fetchHttp(node.url));
    const chunks = [Buffer.alloc(64 * 1024, 1), Buffer.alloc(32 * 1024, 2), Buffer.alloc(1000, 3)];
    const whole = Buffer.concat(chunks);
    const start = await a!('POST', '/v2/team/app/blobs/uploads/');
    expect(start.status).toBe(202);
    let location = pathOf(start.headers.location);
    let offset = 0;
    for (const [i, chunk] of chunks.slice(0, 2).entries()) {
      const http = [b, c][i]!;
      const patch = await http('PATCH', location, {
        body: chunk, headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + chunk.length - 1}` },
      });
      expect(patch.status, patch.body.toString()).toBe(202);
      offset += chunk.length;
      expect(patch.headers.range).toBe(`0-${offset - 1}`);
      location = pathOf(patch.headers.location);
    }
    const digest = digestOf(whole);
    const done = await a!('PUT', withQuery(location, `digest=${digest}`), { body: chunks[2]!, headers: { 'content-type': 'application/octet-stream' } });
    expect(done.status, done.body.toString()).toBe(201);
    const pulled = await c!('GET', `/v2/team/app/blobs/${digest}`);
    expect(pulled.status).toBe(200);
    expect(pulled.body.equals(whole)).toBe(true);
  }, 60_000);
});
