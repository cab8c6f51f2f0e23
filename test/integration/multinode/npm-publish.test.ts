// Three `nora serve` on one Ceph RGW bucket: concurrent npm publishes of distinct versions of one
// package, spread over the nodes, all succeed and none is lost or duplicated (the package document
// is a compare-and-swap on the bucket). Once with the npm CLI's wire body from many writers at
// once, once with the npm CLI itself.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type NoraCluster } from '../../helpers/nora-cluster.js';
import { npmSandbox } from '../../helpers/npm-cli.js';
import { publish } from '../../helpers/npm-http.js';
import { tarballBytes } from '../../helpers/npm-fixtures.js';

interface Packument { versions: Record<string, { dist: { tarball: string; shasum: string } }>; 'dist-tags': Record<string, string> }

describe('npm publishes across three nodes on one bucket', () => {
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
});
