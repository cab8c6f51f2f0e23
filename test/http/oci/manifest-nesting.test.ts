// Manifests nested deeper than 64 levels are refused with MANIFEST_INVALID before they are
// parsed, and a hostile value in a field is quoted briefly: a digest nested 100,000 deep used to
// overflow the stack while the error message was written (500), and deep unknown fields were stored.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { storeKeys } from '../../helpers/store-keys.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { errorOf, injectHttp, OCI_INDEX, OCI_MANIFEST, pushBlob, type Http } from '../../helpers/oci-client.js';

let t: TestApp;
let http: Http;
beforeEach(async () => { t = await buildTestApp(); http = injectHttp(t.app); });
afterEach(async () => { await t.close(); });

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

test.each([
  ['a digest nested 100,000 deep', OCI_MANIFEST, () => `{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":${deep(100_000)}},"layers":[]}`],
  ['a schemaVersion nested 100,000 deep', OCI_MANIFEST, () => `{"schemaVersion":${deep(100_000)}}`],
  ['an unknown field nested 65 deep', OCI_MANIFEST, (config: string) => `{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"${config}"},"layers":[],"x":${deep(64)}}`],
  ['an index platform nested 65 deep', OCI_INDEX, () => `{"schemaVersion":2,"mediaType":"${OCI_INDEX}","manifests":[{"mediaType":"${OCI_MANIFEST}","digest":"sha256:${'a'.repeat(64)}","size":1,"platform":${'{"a":'.repeat(64)}1${'}'.repeat(64)}}]}`],
])('%s → 400 MANIFEST_INVALID, store unchanged', async (_label, type, body) => {
  const config = await pushBlob(http, 'deep/app', '{}');
  const before = await storeKeys(t.services.store);
  const response = await http('PUT', '/v2/deep/app/manifests/v1', { body: Buffer.from(body(config)), headers: { 'content-type': type } });
  expect(response.status, response.body.toString().slice(0, 300)).toBe(400);
  expect(errorOf(response)).toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringContaining('nests deeper than 64 levels') });
  expect(await storeKeys(t.services.store)).toEqual(before);
});

test('64 levels are accepted', async () => {
  const config = await pushBlob(http, 'deep/app', '{}');
  const body = `{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"${config}"},"layers":[],"x":${deep(63)}}`;
  const response = await http('PUT', '/v2/deep/app/manifests/v1', { body: Buffer.from(body), headers: { 'content-type': OCI_MANIFEST } });
  expect(response.status, response.body.toString()).toBe(201);
});
