// Conformance, push (distribution-spec "Push" workflow) over HTTP against the real server:
// monolithic, POST-PUT and chunked uploads, mounts, manifests, and every failure a client can see.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#push
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { digestOf, errorOf, fetchHttp, OCI_INDEX, OCI_MANIFEST, pathOf, pushBlob, pushImage, withQuery, type Http } from '../../helpers/oci-client.js';

let server: NoraServer;
let http: Http;
const NAME = 'conformance/push';

beforeAll(async () => {
  server = await startNora();
  http = fetchHttp(server.url);
});
afterAll(async () => server?.stop());

const open = async (name = NAME) => {
  const response = await http('POST', `/v2/${name}/blobs/uploads/`);
  expect(response.status).toBe(202);
  expect(response.headers['docker-upload-uuid']).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers['oci-chunk-min-length']).toMatch(/^\d+$/);
  return pathOf(response.headers.location);
};
const headBlob = async (digest: string, name = NAME) => (await http('HEAD', `/v2/${name}/blobs/${digest}`)).status;
const octets = { 'content-type': 'application/octet-stream' };

describe('push: blobs', () => {
  test('POST ?digest= uploads monolithically: 201 with Location and Docker-Content-Digest', async () => {
    const bytes = randomBytes(1000);
    const response = await http('POST', `/v2/${NAME}/blobs/uploads/?digest=${digestOf(bytes)}`, { body: bytes, headers: octets });
    expect(response.status).toBe(201);
    expect(pathOf(response.headers.location)).toBe(`/v2/${NAME}/blobs/${digestOf(bytes)}`);
    expect(response.headers['docker-content-digest']).toBe(digestOf(bytes));
    expect(await headBlob(digestOf(bytes))).toBe(200);
  });

  test('POST then PUT with the body; also with no Content-Type at all', async () => {
    const bytes = randomBytes(2048);
    const location = await open();
    const raw = await rawRequest(server.url, withQuery(location, `digest=${digestOf(bytes)}`), { method: 'PUT', body: bytes, headers: { 'content-length': String(bytes.length) } });
    expect(raw.status).toBe(201);
    expect((await http('GET', `/v2/${NAME}/blobs/${digestOf(bytes)}`)).body.equals(bytes)).toBe(true);
  });

  test('chunked: PATCH with Content-Range, status GET, closing PUT with the last chunk', async () => {
    const bytes = randomBytes(300_000);
    let location = await open();
    const first = await http('PATCH', location, { body: bytes.subarray(0, 100_000), headers: { ...octets, 'content-range': '0-99999' } });
    expect(first.status).toBe(202);
    expect(first.headers.range).toBe('0-99999');
    location = pathOf(first.headers.location);
    const second = await http('PATCH', location, { body: bytes.subarray(100_000, 200_000), headers: { ...octets, 'content-range': '100000-199999' } });
    expect(second.headers.range).toBe('0-199999');
    const status = await http('GET', location);
    expect(status.status).toBe(204);
    expect(status.headers.range).toBe('0-199999');
    expect(status.headers['docker-upload-uuid']).toBeDefined();
    const done = await http('PUT', withQuery(location, `digest=${digestOf(bytes)}`), { body: bytes.subarray(200_000), headers: { ...octets, 'content-range': '200000-299999' } });
    expect(done.status).toBe(201);
    expect((await http('GET', `/v2/${NAME}/blobs/${digestOf(bytes)}`)).body.equals(bytes)).toBe(true);
  });

  test('out-of-order and overlapping chunks are 416 with the current Range', async () => {
    const location = await open();
    await http('PATCH', location, { body: Buffer.alloc(10, 1), headers: { ...octets, 'content-range': '0-9' } });
    for (const range of ['20-29', '5-14', '0-9']) {
      const response = await http('PATCH', location, { body: Buffer.alloc(10, 2), headers: { ...octets, 'content-range': range } });
      expect(errorOf(response)).toMatchObject({ status: 416, code: 'BLOB_UPLOAD_INVALID' });
      expect(response.headers.range).toBe('0-9');
    }
  });

  test('a chunk whose Content-Length disagrees with Content-Range is SIZE_INVALID', async () => {
    const location = await open();
    const response = await rawRequest(server.url, location, { method: 'PATCH', body: Buffer.alloc(5), headers: { 'content-range': '0-9', 'content-length': '5', 'content-type': 'application/octet-stream' } });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ errors: [{ code: 'SIZE_INVALID' }] });
  });

  test('a malformed Content-Range is BLOB_UPLOAD_INVALID', async () => {
    const location = await open();
    const response = await http('PATCH', location, { body: 'x', headers: { ...octets, 'content-range': 'bytes=a-b' } });
    expect(errorOf(response)).toMatchObject({ status: 400, code: 'BLOB_UPLOAD_INVALID' });
  });

  test('a wrong digest is DIGEST_INVALID and leaves nothing visible', async () => {
    const bytes = Buffer.from('the real bytes');
    const wrong = digestOf('other bytes');
    const mono = await http('POST', `/v2/${NAME}/blobs/uploads/?digest=${wrong}`, { body: bytes, headers: octets });
    expect(errorOf(mono)).toMatchObject({ status: 400, code: 'DIGEST_INVALID' });
    const location = await open();
    await http('PATCH', location, { body: bytes, headers: octets });
    const closed = await http('PUT', withQuery(location, `digest=${wrong}`));
    expect(errorOf(closed)).toMatchObject({ status: 400, code: 'DIGEST_INVALID' });
    expect(await headBlob(wrong)).toBe(404);
    expect(await headBlob(digestOf(bytes))).toBe(404);
  });

  test('PUT without ?digest= is DIGEST_INVALID; a malformed digest too', async () => {
    const location = await open();
    expect(errorOf(await http('PUT', location, { body: 'x', headers: octets }))).toMatchObject({ status: 400, code: 'DIGEST_INVALID' });
    expect(errorOf(await http('PUT', withQuery(location, 'digest=sha256:nothex'), { body: 'x', headers: octets }))).toMatchObject({ status: 400, code: 'DIGEST_INVALID' });
  });

  test('a closing chunk shorter than its Content-Range is SIZE_INVALID', async () => {
    const bytes = Buffer.from('short');
    const location = await open();
    const chunk = await http('PUT', withQuery(location, `digest=${digestOf(bytes)}`), { body: bytes, headers: { ...octets, 'content-range': '0-9' } });
    expect(errorOf(chunk)).toMatchObject({ status: 400, code: 'SIZE_INVALID' });
  });

  test('an unknown, malformed or cancelled session is BLOB_UPLOAD_UNKNOWN', async () => {
    const unknown = `/v2/${NAME}/blobs/uploads/00000000-0000-4000-8000-000000000000`;
    expect(errorOf(await http('GET', unknown))).toMatchObject({ status: 404, code: 'BLOB_UPLOAD_UNKNOWN' });
    expect(errorOf(await http('PATCH', `/v2/${NAME}/blobs/uploads/not-a-uuid`, { body: 'x', headers: octets }))).toMatchObject({ status: 404, code: 'BLOB_UPLOAD_UNKNOWN' });
    const location = await open();
    expect((await http('DELETE', location)).status).toBe(204);
    expect(errorOf(await http('GET', location))).toMatchObject({ status: 404, code: 'BLOB_UPLOAD_UNKNOWN' });
    expect(errorOf(await http('DELETE', location))).toMatchObject({ status: 404, code: 'BLOB_UPLOAD_UNKNOWN' });
  });

  test('a session belongs to its repository', async () => {
    const location = await open();
    const elsewhere = location.replace(`/v2/${NAME}/`, '/v2/conformance/elsewhere/');
    expect(errorOf(await http('GET', elsewhere))).toMatchObject({ status: 404, code: 'BLOB_UPLOAD_UNKNOWN' });
  });

  test('mount: 201 when the source has the blob, a 202 session otherwise', async () => {
    const digest = await pushBlob(http, 'conformance/source', 'mount me');
    const mounted = await http('POST', `/v2/${NAME}/mounted/blobs/uploads/?mount=${digest}&from=conformance/source`);
    expect(mounted.status).toBe(201);
    expect(mounted.headers['docker-content-digest']).toBe(digest);
    expect(pathOf(mounted.headers.location)).toBe(`/v2/${NAME}/mounted/blobs/${digest}`);
    expect(await headBlob(digest, `${NAME}/mounted`)).toBe(200);
    const fallback = await http('POST', `/v2/${NAME}/other/blobs/uploads/?mount=${digest}&from=conformance/nothing-here`);
    expect(fallback.status).toBe(202);
    expect(fallback.headers['docker-upload-uuid']).toBeDefined();
    expect(errorOf(await http('POST', `/v2/${NAME}/blobs/uploads/?mount=${digest}&from=Bad_Name`))).toMatchObject({ status: 400, code: 'NAME_INVALID' });
  });

  test('an upload continues after the server restarts on the same data directory', async () => {
    const dataDir = server.dataDir;
    const bytes = randomBytes(64 * 1024);
    const location = await open('conformance/restart');
    const first = await http('PATCH', location, { body: bytes.subarray(0, 30_000), headers: { ...octets, 'content-range': '0-29999' } });
    expect(first.status).toBe(202);
    await server.stop({ keepData: true });
    const again = await startNora({ dataDir });
    try {
      const http2 = fetchHttp(again.url);
      const status = await http2('GET', location);
      expect(status.headers.range).toBe('0-29999');
      expect((await http2('PATCH', location, { body: bytes.subarray(30_000), headers: { ...octets, 'content-range': `30000-${bytes.length - 1}` } })).status).toBe(202);
      expect((await http2('PUT', withQuery(location, `digest=${digestOf(bytes)}`))).status).toBe(201);
      expect((await http2('GET', `/v2/conformance/restart/blobs/${digestOf(bytes)}`)).body.equals(bytes)).toBe(true);
    } finally {
      server = again;
      http = fetchHttp(again.url);
    }
  });
});

describe('push: manifests', () => {
  test('by tag: 201 with Location and Docker-Content-Digest; the same bytes by digest too', async () => {
    const image = await pushImage(http, NAME, 'first');
    const byDigest = await http('PUT', `/v2/${NAME}/manifests/${image.digest}`, { body: image.manifest, headers: { 'content-type': OCI_MANIFEST } });
    expect(byDigest.status).toBe(201);
    expect(byDigest.headers['docker-content-digest']).toBe(image.digest);
    expect(pathOf(byDigest.headers.location)).toBe(`/v2/${NAME}/manifests/${image.digest}`);
  });

  test('by a digest that does not match the bytes: DIGEST_INVALID', async () => {
    const image = await pushImage(http, NAME, 'second');
    const response = await http('PUT', `/v2/${NAME}/manifests/${digestOf('other')}`, { body: image.manifest, headers: { 'content-type': OCI_MANIFEST } });
    expect(errorOf(response)).toMatchObject({ status: 400, code: 'DIGEST_INVALID' });
  });

  test('referencing a blob the repository lacks: MANIFEST_BLOB_UNKNOWN naming it', async () => {
    const config = await pushBlob(http, NAME, '{}');
    const absent = digestOf('never pushed');
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 2 }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: absent, size: 12 }] });
    const response = await http('PUT', `/v2/${NAME}/manifests/broken`, { body: manifest, headers: { 'content-type': OCI_MANIFEST } });
    expect(errorOf(response)).toMatchObject({ status: 400, code: 'MANIFEST_BLOB_UNKNOWN', detail: { digest: absent } });
    expect(errorOf(response).message).toContain(absent);
    expect(errorOf(await http('GET', `/v2/${NAME}/manifests/broken`))).toMatchObject({ code: 'MANIFEST_UNKNOWN' });
  });

  test('an index whose child manifest is missing: MANIFEST_BLOB_UNKNOWN; with children present: 201', async () => {
    const child = await pushImage(http, NAME, 'child');
    const absent = digestOf('no such manifest');
    const entry = (digest: string) => ({ mediaType: OCI_MANIFEST, digest, size: child.manifest.length, platform: { architecture: 'amd64', os: 'linux' } });
    const bad = await http('PUT', `/v2/${NAME}/manifests/index`, { body: JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry(child.digest), entry(absent)] }), headers: { 'content-type': OCI_INDEX } });
    expect(errorOf(bad)).toMatchObject({ status: 400, code: 'MANIFEST_BLOB_UNKNOWN', detail: { digest: absent } });
    const good = await http('PUT', `/v2/${NAME}/manifests/index`, { body: JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry(child.digest)] }), headers: { 'content-type': OCI_INDEX } });
    expect(good.status).toBe(201);
    expect((await http('GET', `/v2/${NAME}/manifests/index`)).headers['content-type']).toBe(OCI_INDEX);
  });

  test.each<[string, string, string]>([
    ['invalid JSON', '{not json', OCI_MANIFEST],
    ['a schema 1 manifest', JSON.stringify({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [], history: [] }), 'application/vnd.docker.distribution.manifest.v1+prettyjws'],
    ['an unknown media type', JSON.stringify({ schemaVersion: 2, mediaType: 'application/x-nope', config: {}, layers: [] }), 'application/x-nope'],
  ])('%s is MANIFEST_INVALID', async (_what, body, contentType) => {
    const response = await http('PUT', `/v2/${NAME}/manifests/invalid`, { body, headers: { 'content-type': contentType } });
    expect(errorOf(response)).toMatchObject({ status: 400, code: 'MANIFEST_INVALID' });
  });

  test('schema 1 is refused with a message saying so', async () => {
    const response = await http('PUT', `/v2/${NAME}/manifests/old`, { body: JSON.stringify({ schemaVersion: 1 }), headers: { 'content-type': 'application/json' } });
    expect(errorOf(response).message).toMatch(/schema 1/);
  });

  test('a manifest over the size limit is SIZE_INVALID (413)', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    const response = await http('PUT', `/v2/${NAME}/manifests/huge`, { body: big, headers: { 'content-type': OCI_MANIFEST } });
    expect(errorOf(response)).toMatchObject({ status: 413, code: 'SIZE_INVALID' });
  });

  test('a manifest with a subject answers OCI-Subject', async () => {
    const subject = await pushImage(http, NAME, 'subject');
    const config = await pushBlob(http, NAME, '{}');
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: 'application/x.sbom', config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: config, size: 2 }, layers: [], subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length } });
    const response = await http('PUT', `/v2/${NAME}/manifests/${digestOf(manifest)}`, { body: manifest, headers: { 'content-type': OCI_MANIFEST } });
    expect(response.status).toBe(201);
    expect(response.headers['oci-subject']).toBe(subject.digest);
  });

  test('a tag name that breaks the spec pattern is TAG_INVALID', async () => {
    const image = await pushImage(http, NAME, 'ok');
    const response = await http('PUT', `/v2/${NAME}/manifests/.bad`, { body: image.manifest, headers: { 'content-type': OCI_MANIFEST } });
    expect(errorOf(response)).toMatchObject({ status: 400, code: 'TAG_INVALID' });
  });
});
