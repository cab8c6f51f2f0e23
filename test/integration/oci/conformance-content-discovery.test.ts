// Conformance, content discovery over HTTP against the real server: tag lists and the catalog
// (sorted, n/last, Link) and the referrers API (filters, empty index for unknown subjects).
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#content-discovery
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { digestOf, errorOf, fetchHttp, OCI_INDEX, OCI_MANIFEST, pathOf, pushImage, type Http, type PushedImage } from '../../helpers/oci-client.js';

let server: NoraServer;
let http: Http;
let subject: PushedImage;
let sbom: PushedImage;
let signature: PushedImage;
const NAME = 'discovery/app';
const TAGS = ['v2', 'latest', 'v10', 'v1', 'A-upper', '_under'];

beforeAll(async () => {
  server = await startNora();
  http = fetchHttp(server.url);
  subject = await pushImage(http, NAME, TAGS[0]!);
  for (const tag of TAGS.slice(1)) await http('PUT', `/v2/${NAME}/manifests/${tag}`, { body: subject.manifest, headers: { 'content-type': OCI_MANIFEST } });
  const ref = { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length };
  sbom = await pushImage(http, NAME, 'sbom', { subject: ref, artifactType: 'application/x.sbom', layers: ['sbom'] });
  signature = await pushImage(http, NAME, 'sig', { subject: ref, artifactType: 'application/x.signature', layers: ['sig'] });
  for (const repo of ['discovery/b', 'discovery/a/deep', 'discovery/c']) await pushImage(http, repo, 'x');
});
afterAll(async () => server?.stop());

describe('tags list', () => {
  const all = [...TAGS, 'sbom', 'sig'].sort();

  test('lists every tag in lexical order', async () => {
    const response = await http('GET', `/v2/${NAME}/tags/list`);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ name: NAME, tags: all });
  });

  test('n limits the page and Link names the next; last continues after it', async () => {
    const first = await http('GET', `/v2/${NAME}/tags/list?n=3`);
    expect(first.json<{ tags: string[] }>().tags).toEqual(all.slice(0, 3));
    expect(first.headers.link).toBe(`</v2/${NAME}/tags/list?n=3&last=${all[2]}>; rel="next"`);
    const next = await http('GET', /<([^>]+)>/.exec(first.headers.link!)![1]!);
    expect(next.json<{ tags: string[] }>().tags).toEqual(all.slice(3, 6));
    const rest = await http('GET', `/v2/${NAME}/tags/list?n=100&last=${all[5]}`);
    expect(rest.json<{ tags: string[] }>().tags).toEqual(all.slice(6));
    expect(rest.headers.link).toBeUndefined();
  });

  test('a repository that does not exist is NAME_UNKNOWN', async () => {
    expect(errorOf(await http('GET', '/v2/discovery/nothing/tags/list'))).toMatchObject({ status: 404, code: 'NAME_UNKNOWN' });
  });

  test('an invalid name is NAME_INVALID', async () => {
    expect(errorOf(await http('GET', '/v2/Discovery/tags/list'))).toMatchObject({ status: 400, code: 'NAME_INVALID' });
  });
});

describe('catalog', () => {
  const repos = ['discovery/a/deep', 'discovery/app', 'discovery/b', 'discovery/c'];

  test('lists repositories in lexical order', async () => {
    const response = await http('GET', '/v2/_catalog');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ repositories: repos });
  });

  test('paginates with n/last and a Link header', async () => {
    const first = await http('GET', '/v2/_catalog?n=2');
    expect(first.json()).toEqual({ repositories: repos.slice(0, 2) });
    expect(first.headers.link).toBe(`</v2/_catalog?n=2&last=${encodeURIComponent(repos[1]!)}>; rel="next"`);
    const second = await http('GET', pathOf(/<([^>]+)>/.exec(first.headers.link!)![1]));
    expect(second.json()).toEqual({ repositories: repos.slice(2) });
    expect(second.headers.link).toBeUndefined();
  });
});

describe('referrers', () => {
  test('lists the manifests whose subject is the digest, as an OCI index', async () => {
    const response = await http('GET', `/v2/${NAME}/referrers/${subject.digest}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(OCI_INDEX);
    const index = response.json<{ schemaVersion: number; mediaType: string; manifests: Array<{ digest: string; artifactType: string; size: number; mediaType: string }> }>();
    expect(index.schemaVersion).toBe(2);
    expect(index.mediaType).toBe(OCI_INDEX);
    expect(index.manifests.map((m) => m.digest).sort()).toEqual([sbom.digest, signature.digest].sort());
    expect(index.manifests.find((m) => m.digest === sbom.digest)).toEqual({ mediaType: OCI_MANIFEST, digest: sbom.digest, size: sbom.manifest.length, artifactType: 'application/x.sbom' });
  });

  test('artifactType filters and says so in OCI-Filters-Applied', async () => {
    const response = await http('GET', `/v2/${NAME}/referrers/${subject.digest}?artifactType=application/x.signature`);
    expect(response.headers['oci-filters-applied']).toBe('artifactType');
    expect(response.json<{ manifests: Array<{ digest: string }> }>().manifests.map((m) => m.digest)).toEqual([signature.digest]);
  });

  test('an unknown subject gives an empty index, not 404', async () => {
    const response = await http('GET', `/v2/${NAME}/referrers/${digestOf('nothing refers to this')}`);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
  });

  test('a malformed digest is DIGEST_INVALID', async () => {
    expect(errorOf(await http('GET', `/v2/${NAME}/referrers/sha256:xyz`))).toMatchObject({ status: 400, code: 'DIGEST_INVALID' });
  });
});
