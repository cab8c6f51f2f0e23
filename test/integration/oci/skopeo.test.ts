// Real client: skopeo 1.9 copies daemon-less OCI layouts into NORA and back out, byte for byte,
// and inspects, lists, deletes and copies between repositories (cross-repository mount).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { OciLayout, refOf, sha256, type Descriptor } from '../../helpers/oci-layout.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';
import { clientGate } from '../../helpers/clients.js';

const gate = clientGate('skopeo');

const LAYER = 'application/vnd.oci.image.layer.v1.tar';
let server: NoraServer;
let skopeo: Skopeo;
let work: string;
let host: string;
let src: OciLayout;
let image: Descriptor;
let layers: Descriptor[];
let multi: Descriptor;
let children: Descriptor[];
let artifact: Descriptor;

beforeAll(async () => {
  if (gate.skip) return;
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-skopeo-work-'));
  src = new OciLayout(path.join(work, 'src'));
  layers = [
    await src.addRandomBlob(50 * 1024 * 1024, LAYER),
    await src.addBlob(Buffer.from('second layer'), LAYER),
    await src.addBlob(Buffer.from('third layer'), LAYER),
  ];
  image = await src.addImage(layers);
  await src.tag('app', image);
  const amd64 = { architecture: 'amd64', os: 'linux' };
  const arm64 = { architecture: 'arm64', os: 'linux' };
  children = [
    { ...(await src.addImage([await src.addBlob(Buffer.from('amd64 layer'), LAYER)], { platform: amd64 })), platform: amd64 },
    { ...(await src.addImage([await src.addBlob(Buffer.from('arm64 layer'), LAYER)], { platform: arm64 })), platform: arm64 },
  ];
  multi = await src.addIndex(children);
  await src.tag('multi', multi);
  artifact = await src.addImage([await src.addBlob(Buffer.from('{"signature":"x"}'), 'application/vnd.example.signature')], {
    subject: image, artifactType: 'application/vnd.example.signature', configMediaType: 'application/vnd.oci.empty.v1+json',
  });
  await src.tag('sig', artifact);
  server = await startNora();
  host = new URL(server.url).host;
  skopeo = await makeSkopeo();
}, 120_000);

afterAll(async () => {
  await skopeo?.cleanup();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const docker = (ref: string) => `docker://${host}/${ref}`;
const push = (from: string, to: string, ...flags: string[]) => skopeo.run('copy', '--preserve-digests', '--dest-tls-verify=false', ...flags, from, to);
const pull = (from: string, to: string, ...flags: string[]) => skopeo.run('copy', '--preserve-digests', '--src-tls-verify=false', '--dest-oci-accept-uncompressed-layers', ...flags, from, to);

describe.skipIf(gate.skip)(gate.title('skopeo against nora'), () => {
  test('copies a multi-layer image with a 50 MB layer in and out byte for byte', async () => {
    await push(`oci:${src.dir}:app`, docker('team/app:1.0'));
    const out = path.join(work, 'out-app');
    await pull(docker('team/app:1.0'), `oci:${out}:app`);
    const ref = await refOf(out, 'app');
    expect(ref?.digest).toBe(image.digest);
    const copy = new OciLayout(out);
    expect(sha256(await copy.read(image.digest))).toBe(image.digest);
    for (const layer of layers) expect(sha256(await copy.read(layer.digest))).toBe(layer.digest);
  }, 180_000);

  test('inspect --raw returns the pushed manifest bytes; inspect reports the digest', async () => {
    const raw = await skopeo.run('inspect', '--raw', '--tls-verify=false', docker('team/app:1.0'));
    expect(Buffer.from(raw)).toEqual(await src.read(image.digest));
    const info = JSON.parse(await skopeo.run('inspect', '--tls-verify=false', docker('team/app:1.0'))) as { Digest: string; Layers: string[] };
    expect(info.Digest).toBe(image.digest);
    expect(info.Layers).toEqual(layers.map((l) => l.digest));
  });

  test('copies a two-platform index with --all and keeps every digest', async () => {
    await push(`oci:${src.dir}:multi`, docker('team/multi:2.0'), '--all');
    const raw = await skopeo.run('inspect', '--raw', '--tls-verify=false', docker('team/multi:2.0'));
    expect(sha256(raw)).toBe(multi.digest);
    const out = path.join(work, 'out-multi');
    await pull(docker('team/multi:2.0'), `oci:${out}:multi`, '--all');
    expect((await refOf(out, 'multi'))?.digest).toBe(multi.digest);
    for (const child of children) expect(sha256(await new OciLayout(out).read(child.digest))).toBe(child.digest);
  }, 120_000);

  test('copies an artifact with a subject; the referrers API lists it', async () => {
    await push(`oci:${src.dir}:sig`, docker('team/app:sig'));
    const response = await fetch(`${server.url}/v2/team/app/referrers/${image.digest}`);
    expect(response.status).toBe(200);
    const index = await response.json() as { manifests: Descriptor[] };
    expect(index.manifests).toEqual([expect.objectContaining({ digest: artifact.digest, artifactType: 'application/vnd.example.signature' })]);
  }, 60_000);

  test('list-tags lists every tag', async () => {
    await push(`oci:${src.dir}:app`, docker('team/app:latest'));
    const listed = JSON.parse(await skopeo.run('list-tags', '--tls-verify=false', docker('team/app'))) as { Tags: string[] };
    expect(listed.Tags).toEqual(['1.0', 'latest', 'sig']);
  }, 60_000);

  test('copies between repositories by mounting blobs instead of re-uploading them', async () => {
    await skopeo.run('copy', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', docker('team/app:1.0'), docker('other/app:1.0'));
    const raw = await skopeo.run('inspect', '--raw', '--tls-verify=false', docker('other/app:1.0'));
    expect(sha256(raw)).toBe(image.digest);
    const mounts = server.logs().split('\n').filter((line) => line.includes('"path":"/v2/other/app/blobs/uploads/?') && line.includes('mount=sha256') && line.includes('from=team%2Fapp') && line.includes('"status":201'));
    expect(mounts.length).toBe(layers.length);
    const big = await fetch(`${server.url}/v2/other/app/blobs/${layers[0]!.digest}`, { method: 'HEAD' });
    expect(big.status).toBe(200);
    expect(big.headers.get('content-length')).toBe(String(layers[0]!.size));
  }, 120_000);

  test('delete removes the manifest; the tag no longer resolves', async () => {
    await skopeo.run('delete', '--tls-verify=false', docker('other/app:1.0'));
    const gone = await skopeo.attempt('inspect', '--raw', '--tls-verify=false', docker('other/app:1.0'));
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/manifest unknown|MANIFEST_UNKNOWN|not found/i);
    const response = await fetch(`${server.url}/v2/other/app/manifests/${image.digest}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: [expect.objectContaining({ code: 'MANIFEST_UNKNOWN' })] });
    // The source repository is untouched.
    expect((await fetch(`${server.url}/v2/team/app/manifests/1.0`, { method: 'HEAD' })).status).toBe(200);
  }, 60_000);
});
