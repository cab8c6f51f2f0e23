// Conformance, content management over HTTP against the real server: deleting tags, manifests
// and blobs, and UNSUPPORTED when deletes are disabled.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#content-management
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { digestOf, errorOf, fetchHttp, OCI_MANIFEST, pushImage, type Http } from '../../helpers/oci-client.js';

let server: NoraServer;
let http: Http;
const NAME = 'management/app';

beforeAll(async () => {
  server = await startNora();
  http = fetchHttp(server.url);
});
afterAll(async () => server?.stop());

describe('deletes', () => {
  test('deleting a tag removes only the tag', async () => {
    const image = await pushImage(http, NAME, 'to-untag');
    await http('PUT', `/v2/${NAME}/manifests/keep`, { body: image.manifest, headers: { 'content-type': OCI_MANIFEST } });
    const response = await http('DELETE', `/v2/${NAME}/manifests/to-untag`);
    expect(response.status).toBe(202);
    expect(errorOf(await http('GET', `/v2/${NAME}/manifests/to-untag`))).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
    expect((await http('GET', `/v2/${NAME}/manifests/${image.digest}`)).status).toBe(200);
    expect((await http('GET', `/v2/${NAME}/manifests/keep`)).status).toBe(200);
  });

  test('deleting a manifest by digest removes it and the tags naming it', async () => {
    const image = await pushImage(http, NAME, 'doomed', { layers: ['doomed layer'] });
    expect((await http('DELETE', `/v2/${NAME}/manifests/${image.digest}`)).status).toBe(202);
    expect(errorOf(await http('GET', `/v2/${NAME}/manifests/${image.digest}`))).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
    expect(errorOf(await http('GET', `/v2/${NAME}/manifests/doomed`))).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
    const tags = (await http('GET', `/v2/${NAME}/tags/list`)).json<{ tags: string[] }>().tags;
    expect(tags).not.toContain('doomed');
  });

  test('deleting a referrer removes it from the referrers index', async () => {
    const subject = await pushImage(http, NAME, 'subject');
    const ref = { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length };
    const sig = await pushImage(http, NAME, 'signature', { subject: ref, artifactType: 'application/x.sig', layers: ['s'] });
    const before = (await http('GET', `/v2/${NAME}/referrers/${subject.digest}`)).json<{ manifests: unknown[] }>();
    expect(before.manifests).toHaveLength(1);
    expect((await http('DELETE', `/v2/${NAME}/manifests/${sig.digest}`)).status).toBe(202);
    const after = (await http('GET', `/v2/${NAME}/referrers/${subject.digest}`)).json<{ manifests: unknown[] }>();
    expect(after.manifests).toEqual([]);
  });

  test('deleting an unknown manifest or tag is MANIFEST_UNKNOWN', async () => {
    expect(errorOf(await http('DELETE', `/v2/${NAME}/manifests/${digestOf('nope')}`))).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
    expect(errorOf(await http('DELETE', `/v2/${NAME}/manifests/no-such-tag`))).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
  });

  test('deleting a blob: 202, then BLOB_UNKNOWN; other repositories keep it', async () => {
    const image = await pushImage(http, NAME, 'blobby', { layers: ['shared layer'] });
    await pushImage(http, 'management/other', 'blobby', { layers: ['shared layer'] });
    const layer = image.layers[0]!;
    expect((await http('DELETE', `/v2/${NAME}/blobs/${layer}`)).status).toBe(202);
    expect(errorOf(await http('GET', `/v2/${NAME}/blobs/${layer}`))).toMatchObject({ status: 404, code: 'BLOB_UNKNOWN' });
    expect(errorOf(await http('DELETE', `/v2/${NAME}/blobs/${layer}`))).toMatchObject({ status: 404, code: 'BLOB_UNKNOWN' });
    expect((await http('GET', `/v2/management/other/blobs/${layer}`)).status).toBe(200);
  });
});

describe('deletes disabled (docker.delete_enabled = false)', () => {
  let locked: NoraServer;
  let lockedHttp: Http;
  beforeAll(async () => {
    locked = await startNora({ env: { NORA_DOCKER_DELETE_ENABLED: 'false' } });
    lockedHttp = fetchHttp(locked.url);
  });
  afterAll(async () => locked?.stop());

  test('manifest, tag and blob deletes are 405 UNSUPPORTED and change nothing', async () => {
    const image = await pushImage(lockedHttp, NAME, 'kept');
    for (const path of [`/v2/${NAME}/manifests/kept`, `/v2/${NAME}/manifests/${image.digest}`, `/v2/${NAME}/blobs/${image.layers[0]}`]) {
      const response = await lockedHttp('DELETE', path);
      expect(errorOf(response)).toMatchObject({ status: 405, code: 'UNSUPPORTED' });
    }
    expect((await lockedHttp('GET', `/v2/${NAME}/manifests/kept`)).status).toBe(200);
  });
});
