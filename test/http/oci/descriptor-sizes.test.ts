// A manifest whose descriptor sizes disagree with what is stored is refused over fastify
// inject() (containerd refuses such images at pull), and leaves the store as it was.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { listAll } from '../../../src/lib/storage/object-store.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { errorOf, injectHttp, OCI_INDEX, OCI_MANIFEST, pushBlob, pushImage, type Http } from '../../helpers/oci-client.js';

let t: TestApp;
let http: Http;
beforeEach(async () => { t = await buildTestApp(); http = injectHttp(t.app); });
afterEach(async () => { await t.close(); });

async function keys(): Promise<string[]> {
  const out: string[] = [];
  for await (const info of listAll(t.services.store, '')) out.push(info.key);
  return out.sort();
}

const CONFIG = '{"architecture":"amd64","os":"linux"}';
const LAYER = 'twelve bytes';

async function imageManifest(name: string, sizes: { config?: number; layer?: number } = {}): Promise<Buffer> {
  const config = await pushBlob(http, name, CONFIG);
  const layer = await pushBlob(http, name, LAYER);
  return Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: sizes.config ?? CONFIG.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layer, size: sizes.layer ?? LAYER.length }],
  }));
}

const put = (name: string, reference: string, body: Buffer, type = OCI_MANIFEST) =>
  http('PUT', `/v2/${name}/manifests/${reference}`, { body, headers: { 'content-type': type } });

describe('descriptor sizes', () => {
  test.each([
    ['a layer declared larger than its blob', { layer: LAYER.length + 1 }, 'layers[0]', LAYER.length + 1, LAYER.length],
    ['a layer declared smaller than its blob', { layer: 1 }, 'layers[0]', 1, LAYER.length],
    ['a layer declared empty', { layer: 0 }, 'layers[0]', 0, LAYER.length],
    ['a config of the wrong size', { config: 5 }, 'config', 5, CONFIG.length],
  ])('%s is MANIFEST_INVALID naming the digest and both sizes; nothing is stored', async (_what, sizes, field, declared, stored) => {
    const manifest = await imageManifest('team/app', sizes);
    const before = await keys();
    const response = await put('team/app', '1.0', manifest);
    const error = errorOf(response);
    expect(error).toMatchObject({ status: 400, code: 'MANIFEST_INVALID' });
    const doc = JSON.parse(manifest.toString()) as { config: { digest: string }; layers: Array<{ digest: string }> };
    const digest = field === 'config' ? doc.config.digest : doc.layers[0]!.digest;
    expect(error.message).toBe(`manifest invalid: ${field} ${digest} declares size ${declared}, but the stored content has ${stored} bytes`);
    expect(error.detail).toEqual({ field, digest, declared, stored });
    expect(await keys()).toEqual(before);
    expect((await http('GET', '/v2/team/app/manifests/1.0')).status).toBe(404);
  });

  test('the same manifest with the right sizes is accepted', async () => {
    expect((await put('team/app', '1.0', await imageManifest('team/app'))).status).toBe(201);
  });

  test('an index whose child descriptor has the wrong size is MANIFEST_INVALID; with the right size it is accepted', async () => {
    const child = await pushImage(http, 'team/multi', 'amd64');
    const index = (size: number) => Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: child.digest, size, platform: { architecture: 'amd64', os: 'linux' } }],
    }));
    const before = await keys();
    const error = errorOf(await put('team/multi', 'latest', index(child.manifest.length + 7), OCI_INDEX));
    expect(error).toMatchObject({ status: 400, code: 'MANIFEST_INVALID' });
    expect(error.message).toBe(`manifest invalid: manifests[0] ${child.digest} declares size ${child.manifest.length + 7}, but the stored content has ${child.manifest.length} bytes`);
    expect(await keys()).toEqual(before);
    expect((await put('team/multi', 'latest', index(child.manifest.length), OCI_INDEX)).status).toBe(201);
  });

  test('a missing blob is still MANIFEST_BLOB_UNKNOWN, whatever its declared size', async () => {
    const manifest = JSON.parse((await imageManifest('team/app')).toString()) as { layers: Array<{ digest: string; size: number }> };
    manifest.layers[0] = { ...manifest.layers[0]!, digest: `sha256:${'e'.repeat(64)}`, size: 1 };
    expect(errorOf(await put('team/app', '1.0', Buffer.from(JSON.stringify(manifest))))).toMatchObject({ status: 400, code: 'MANIFEST_BLOB_UNKNOWN' });
  });
});
