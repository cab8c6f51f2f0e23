// Three `nora serve` on one Ceph RGW bucket. Garbage collection (a `nora gc` process on the bucket
// and node 0's own, through POST /api/gc) runs while skopeo pushes through nodes 1 and 2: every
// image pushed comes back by digest. Then node 2 dies by SIGKILL in the middle of a large blob
// upload: the other nodes keep serving, and the client resumes the same upload session on
// another node (the OCI protocol's GET on the upload URL says how far it got) and completes it.
import { eventually } from '../../helpers/eventually.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientGate } from '../../helpers/clients.js';
import { runNora } from '../../helpers/nora-process.js';
import { s3Env, startCluster, type NoraCluster } from '../../helpers/nora-cluster.js';
import { OciLayout, refOf, type Descriptor } from '../../helpers/oci-layout.js';
import { digestOf, fetchHttp, pathOf, pushImage, withQuery } from '../../helpers/oci-client.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

const gate = clientGate('skopeo');
const LAYER = 'application/vnd.oci.image.layer.v1.tar';
let cluster: NoraCluster;
let skopeo: Skopeo;
let work: string;

describe.skipIf(gate.skip)(gate.title('gc and a killed node on three nodes of one bucket'), () => {
  beforeAll(async () => {
    cluster = await startCluster(3);
    skopeo = await makeSkopeo();
    work = await mkdtemp(path.join(os.tmpdir(), 'nora-multinode-gc-'));
  }, 180_000);
  afterAll(async () => {
    await skopeo?.cleanup();
    await cluster?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const host = (node: number) => new URL(cluster.nodes[node]!.url).host;
  const gcProcess = async (grace: string) => {
    const result = await runNora(['gc', '--json', '--grace', grace], { env: s3Env(cluster.bucket) });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { phase: string; deleted: unknown[] | number };
  };
  /** Starts a gc on node 0 and waits for its report (GET /api/gc), polling its progress. */
  const gcOnNode0 = async () => {
    const url = cluster.nodes[0]!.url;
    const started = await fetch(`${url}/api/gc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grace: '10m' }) });
    expect(started.status).toBe(202);
    const state = async () => (await (await fetch(`${url}/api/gc`)).json()) as { phase: string; error?: string };
    return eventually(state, (s) => s.phase === 'done' || s.phase === 'failed', { intervalMs: 100, timeoutMs: 240_000 });
  };

  it('gc on node 0 and in a `nora gc` process while skopeo pushes through nodes 1 and 2: every image comes back by digest', { timeout: 300_000 }, async () => {
    // An orphan first: an image pushed, then its manifest deleted; gc with no grace frees its config.
    const http = fetchHttp(cluster.nodes[0]!.url);
    const orphan = await pushImage(http, 'gc/orphan', 'gone', { layers: ['orphan layer'] });
    expect((await fetch(`${cluster.nodes[0]!.url}/api/artifacts?ref=${encodeURIComponent(`gc/orphan@${orphan.digest}`)}`, { method: 'DELETE' })).status).toBe(200);
    await gcProcess('0s');
    expect((await fetch(`${cluster.nodes[1]!.url}/v2/gc/orphan/blobs/${orphan.config}`)).status).toBe(404);

    const layout = new OciLayout(path.join(work, 'src'));
    const shared = await layout.addBlob(Buffer.from('a layer every image shares'), LAYER);
    const images: Array<{ ref: string; manifest: Descriptor; layers: Descriptor[] }> = [];
    for (let i = 0; i < 8; i++) {
      const layers = [shared, await layout.addRandomBlob(256 * 1024 + i, LAYER)];
      const manifest = await layout.addImage(layers);
      await layout.tag(`img${i}`, manifest);
      images.push({ ref: `img${i}`, manifest, layers });
    }
    let pushing = true;
    const pushes = (async () => {
      try {
        await Promise.all([1, 2].map(async (node) => {
          for (const image of images.filter((_, i) => i % 2 === node - 1)) {
            await skopeo.run('copy', '--preserve-digests', '--dest-tls-verify=false', `oci:${layout.dir}:${image.ref}`, `docker://${host(node)}/gc/app:${image.ref}`);
          }
        }));
      } finally {
        pushing = false;
      }
    })();
    let collections = 0;
    while (pushing || collections < 2) {
      const [onNode, inProcess] = await Promise.all([gcOnNode0(), gcProcess('10m')]);
      expect(onNode.phase, onNode.error).toBe('done');
      expect(inProcess.phase).toBe('done');
      collections++;
    }
    await pushes;

    // Every image, pulled by digest through node 0, is whole (skopeo verifies every digest).
    for (const image of images) {
      const dest = path.join(work, `pulled-${image.ref}`);
      await skopeo.run('copy', '--src-tls-verify=false', '--dest-oci-accept-uncompressed-layers', `docker://${host(0)}/gc/app@${image.manifest.digest}`, `oci:${dest}:x`);
      expect((await refOf(dest, 'x'))?.digest).toBe(image.manifest.digest);
      for (const layer of image.layers) {
        const bytes = await readFile(path.join(dest, 'blobs', 'sha256', layer.digest.slice(7)));
        expect(digestOf(bytes)).toBe(layer.digest);
      }
    }
  });

  it('kill -9 of a node in the middle of a blob upload: the others keep serving, the upload resumes on another node and completes', { timeout: 120_000 }, async () => {
    const [a, , c] = cluster.nodes.map((node) => fetchHttp(node.url));
    const victim = cluster.nodes[2]!;
    const first = randomBytes(6 << 20);
    const rest = randomBytes(24 << 20);
    const whole = createHash('sha256').update(first).update(rest);
    const digest = `sha256:${whole.digest('hex')}`;

    const start = await c!('POST', '/v2/failover/app/blobs/uploads/');
    expect(start.status).toBe(202);
    let location = pathOf(start.headers.location);
    const patched = await c!('PATCH', location, { body: first, headers: { 'content-type': 'application/octet-stream', 'content-range': `0-${first.length - 1}` } });
    expect(patched.status, patched.body.toString()).toBe(202);
    location = pathOf(patched.headers.location);

    // The second chunk streams in 1 MiB pieces; after 4 MiB the node is killed.
    async function* body() {
      for (let sent = 0; sent < rest.length; sent += 1 << 20) {
        if (sent === 4 << 20) victim.process.kill('SIGKILL');
        yield rest.subarray(sent, sent + (1 << 20));
      }
    }
    const killed = await request(`${victim.url}${location}`, {
      method: 'PATCH', body: Readable.from(body()), headers: { 'content-type': 'application/octet-stream', 'content-range': `${first.length}-${first.length + rest.length - 1}` },
    }).then(async (response) => `answered ${response.statusCode}: ${await response.body.text()}`, (error: Error) => error);
    expect(killed).toBeInstanceOf(Error);
    if (victim.process.exitCode === null && victim.process.signalCode === null) await new Promise((resolve) => victim.process.once('exit', resolve));
    expect(victim.process.signalCode).toBe('SIGKILL');

    // The others keep serving: a push and a pull through each.
    for (const node of [0, 1]) {
      const http = fetchHttp(cluster.nodes[node]!.url);
      const pushed = await pushImage(http, 'failover/other', `n${node}`, { layers: [`after the kill ${node}`] });
      const pulled = await http('GET', `/v2/failover/other/manifests/${pushed.digest}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      expect(pulled.status).toBe(200);
    }

    // The client asks another node how far the session got, sends the rest from there, completes on a third.
    const status = await a!('GET', location);
    expect(status.status).toBe(204);
    const offset = Number(/^0-(\d+)$/.exec(String(status.headers.range))![1]) + 1;
    expect(offset).toBe(first.length);
    const resumed = await a!('PATCH', pathOf(status.headers.location ?? location), { body: rest, headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + rest.length - 1}` } });
    expect(resumed.status, resumed.body.toString()).toBe(202);
    const done = await fetchHttp(cluster.nodes[1]!.url)('PUT', withQuery(pathOf(resumed.headers.location), `digest=${digest}`));
    expect(done.status, done.body.toString()).toBe(201);
    const pulled = await a!('GET', `/v2/failover/app/blobs/${digest}`);
    expect(pulled.status).toBe(200);
    expect(digestOf(pulled.body)).toBe(digest);
  });
});
