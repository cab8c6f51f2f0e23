// Conformance, pull (distribution-spec "Pull" workflow) over HTTP against the real server:
// manifests by tag and digest, blobs with HEAD and Range, and every not-found / invalid path.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pull
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { errorOf, fetchHttp, OCI_MANIFEST, pushImage, type Http, type PushedImage } from '../../helpers/oci-client.js';

let server: NoraServer;
let http: Http;
let image: PushedImage;
const NAME = 'conformance/pull/app';
const LAYER = 'pull layer bytes 0123456789';
const missing = `sha256:${'0'.repeat(64)}`;

beforeAll(async () => {
  server = await startNora();
  http = fetchHttp(server.url);
  image = await pushImage(http, NAME, 'v1', { layers: [LAYER] });
});
afterAll(async () => server?.stop());

describe('pull: base', () => {
  test('GET /v2/ answers 200 with the API version header', async () => {
    for (const path of ['/v2/', '/v2']) {
      const response = await http('GET', path);
      expect(response.status).toBe(200);
      expect(response.headers['docker-distribution-api-version']).toBe('registry/2.0');
    }
  });
});

describe('pull: manifests', () => {
  test.each(['v1', 'digest'])('GET by %s returns the exact bytes, media type and digest', async (how) => {
    const reference = how === 'v1' ? 'v1' : image.digest;
    const response = await http('GET', `/v2/${NAME}/manifests/${reference}`, { headers: { accept: OCI_MANIFEST } });
    expect(response.status).toBe(200);
    expect(response.body.equals(image.manifest)).toBe(true);
    expect(response.headers['content-type']).toBe(OCI_MANIFEST);
    expect(response.headers['docker-content-digest']).toBe(image.digest);
    expect(response.headers['content-length']).toBe(String(image.manifest.length));
  });

  test('HEAD gives Content-Length and Docker-Content-Digest without a body', async () => {
    const response = await rawRequest(server.url, `/v2/${NAME}/manifests/v1`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String(image.manifest.length));
    expect(response.headers['docker-content-digest']).toBe(image.digest);
    expect(response.body.length).toBe(0);
  });

  test('an unknown tag or digest is MANIFEST_UNKNOWN (404); HEAD is 404 without a body', async () => {
    for (const reference of ['nope', missing]) {
      const response = await http('GET', `/v2/${NAME}/manifests/${reference}`);
      expect(errorOf(response)).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
    }
    const head = await rawRequest(server.url, `/v2/${NAME}/manifests/nope`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(head.body.length).toBe(0);
  });

  test('a manifest of another repository is not visible here', async () => {
    expect(errorOf(await http('GET', `/v2/conformance/other/manifests/${image.digest}`))).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
  });

  test.each<[string, string, string]>([
    ['an uppercase name', '/v2/Conformance/App/manifests/v1', 'NAME_INVALID'],
    ['a name with a bad separator', '/v2/conformance/-app/manifests/v1', 'NAME_INVALID'],
  ])('%s is 400 %s', async (_what, path, code) => {
    expect(errorOf(await http('GET', path))).toMatchObject({ status: 400, code });
  });

  // The spec lists only 404 for pulling a manifest that is not there, whatever the reference
  // looks like; PUT keeps refusing such references (TAG_INVALID / DIGEST_INVALID).
  test.each([
    ['a malformed tag', '/v2/conformance/app/manifests/-tag'],
    ['a malformed digest', '/v2/conformance/app/manifests/sha256:abc'],
    ['an unsupported digest algorithm', `/v2/conformance/app/manifests/md5:${'a'.repeat(32)}`],
  ])('%s is 404 MANIFEST_UNKNOWN %s', async (_what, path) => {
    expect(errorOf(await http('GET', path))).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
  });
});

describe('pull: blobs', () => {
  const layer = () => image.layers[0]!;

  test('GET streams the blob with its digest and length', async () => {
    const response = await http('GET', `/v2/${NAME}/blobs/${layer()}`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(LAYER);
    expect(response.headers['docker-content-digest']).toBe(layer());
    expect(response.headers['content-length']).toBe(String(LAYER.length));
  });

  test('HEAD gives Content-Length and Docker-Content-Digest without a body', async () => {
    const response = await rawRequest(server.url, `/v2/${NAME}/blobs/${layer()}`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String(LAYER.length));
    expect(response.headers['docker-content-digest']).toBe(layer());
    expect(response.body.length).toBe(0);
  });

  test.each<[string, number, string, string]>([
    ['bytes=0-3', 206, 'pull', 'bytes 0-3/27'],
    ['bytes=5-', 206, LAYER.slice(5), 'bytes 5-26/27'],
    ['bytes=-4', 206, '6789', 'bytes 23-26/27'],
    ['bytes=20-1000', 206, LAYER.slice(20), 'bytes 20-26/27'],
  ])('Range %s → %i', async (range, status, body, contentRange) => {
    const response = await http('GET', `/v2/${NAME}/blobs/${layer()}`, { headers: { range } });
    expect(response.status).toBe(status);
    expect(response.body.toString()).toBe(body);
    expect(response.headers['content-range']).toBe(contentRange);
  });

  test('a Range past the end is 416 with Content-Range bytes */size', async () => {
    const response = await http('GET', `/v2/${NAME}/blobs/${layer()}`, { headers: { range: 'bytes=100-200' } });
    expect(errorOf(response)).toMatchObject({ status: 416 });
    expect(response.headers['content-range']).toBe(`bytes */${LAYER.length}`);
  });

  test('an unknown blob is BLOB_UNKNOWN (404) naming the digest', async () => {
    const response = await http('GET', `/v2/${NAME}/blobs/${missing}`);
    expect(errorOf(response)).toMatchObject({ status: 404, code: 'BLOB_UNKNOWN', detail: { digest: missing } });
    expect((await rawRequest(server.url, `/v2/${NAME}/blobs/${missing}`, { method: 'HEAD' })).status).toBe(404);
  });

  test('a blob stored for another repository is BLOB_UNKNOWN here', async () => {
    expect(errorOf(await http('GET', `/v2/conformance/other/blobs/${layer()}`))).toMatchObject({ status: 404, code: 'BLOB_UNKNOWN' });
  });

  test('a malformed blob digest is DIGEST_INVALID', async () => {
    expect(errorOf(await http('GET', `/v2/${NAME}/blobs/sha256:zz`))).toMatchObject({ status: 400, code: 'DIGEST_INVALID' });
  });

  test('an unrouted path under /v2 answers in the OCI error shape', async () => {
    const response = await http('GET', `/v2/${NAME}/elsewhere`);
    expect(errorOf(response)).toMatchObject({ status: 404, code: 'UNSUPPORTED' });
  });
});
