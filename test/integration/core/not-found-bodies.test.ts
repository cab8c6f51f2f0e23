// Every protocol answers "not found" in its own words, and no error body names a storage key
// (`blobs/...`, `repos/...`, `tmp/...`) or the data directory: neither for names that were never
// published, nor for published files whose stored bytes went missing (a dangling reference).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAll, type PublishedFile } from '../../helpers/all-formats.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { rawRequest, type RawResponse } from '../../helpers/raw-http.js';

let nora: NoraServer;
let published: PublishedFile[];
const ZERO = `sha256:${'0'.repeat(64)}`;

beforeAll(async () => {
  nora = await startNora({ env: { NORA_NPM_UPSTREAM: '', NORA_MAVEN_UPSTREAM: '', NORA_CARGO_UPSTREAM_INDEX: '' } });
  published = await publishAll(nora.url, 'gone');
  // The artifacts stay listed, but their bytes are gone from the store.
  for (const file of published) await rm(path.join(nora.dataDir, file.blobPath), { force: true });
});
afterAll(async () => { await nora?.stop(); });

type Protocol = 'oci' | 'npm' | 'maven' | 'cargo' | 'pypi' | 'nora';

const json = (r: RawResponse) => JSON.parse(r.text) as Record<string, unknown>;

/** The protocol's own not-found answer: status 404 and its body shape and words. */
const SHAPES: Record<Protocol, (r: RawResponse, urlPath: string) => void> = {
  oci: (r, urlPath) => {
    const code = (json(r).errors as Array<{ code: string }>)[0]!.code;
    if (urlPath.includes('/blobs/uploads/')) expect(code).toBe('BLOB_UPLOAD_UNKNOWN');
    else if (urlPath.includes('/blobs/')) expect(code).toBe('BLOB_UNKNOWN');
    else if (urlPath.includes('/manifests/')) expect(code).toBe('MANIFEST_UNKNOWN');
    else expect(code).toBe('NAME_UNKNOWN');
  },
  npm: (r) => expect(typeof json(r).error).toBe('string'),
  maven: (r) => { expect(r.headers['content-type']).toMatch(/^text\/plain/); expect(r.text).toMatch(/not found/i); },
  pypi: (r) => { expect(r.headers['content-type']).toMatch(/^text\/plain/); expect(r.text).toMatch(/not found/i); },
  cargo: (r) => expect((json(r).errors as Array<{ detail: string }>)[0]!.detail).toMatch(/not (found|exist)/i),
  nora: (r) => expect((json(r).error as { code: string }).code).toMatch(/NOT_FOUND/),
};

const NEVER_PUBLISHED: Array<[Protocol, string]> = [
  ['oci', `/v2/team/app/blobs/${ZERO}`],
  ['oci', '/v2/team/app/manifests/latest'],
  ['oci', `/v2/team/app/manifests/${ZERO}`],
  ['oci', '/v2/team/app/tags/list'],
  ['oci', '/v2/team/app/blobs/uploads/00000000-0000-4000-8000-000000000000'],
  ['npm', '/npm/no-such-package'],
  ['npm', '/npm/no-such-package/1.0.0'],
  ['npm', '/npm/no-such-package/-/no-such-package-1.0.0.tgz'],
  ['npm', '/npm/@scope%2fno-such-package'],
  ['npm', '/npm/-/package/no-such-package/dist-tags'],
  ['maven', '/maven2/org/example/none/1.0/none-1.0.jar'],
  ['maven', '/maven2/org/example/none/1.0/none-1.0.jar.sha1'],
  ['maven', '/maven2/org/example/none/maven-metadata.xml'],
  ['cargo', '/cargo/index/no/su/no-such-crate'],
  ['cargo', '/cargo/api/v1/crates/no-such-crate/1.0.0/download'],
  ['cargo', '/cargo/api/v1/crates/no-such-crate/owners'],
  ['pypi', '/simple/no-such-project/'],
  ['pypi', '/pypi/files/no-such-project/no_such_project-1.0-py3-none-any.whl'],
  ['nora', '/api/no-such-endpoint'],
];

function expectNoLeak(response: RawResponse): void {
  for (const leak of ['blobs/', 'repos/', 'tmp/', nora.dataDir, path.basename(nora.dataDir)]) {
    expect(response.text, `the body names ${leak}`).not.toContain(leak);
  }
}

describe('names never published', () => {
  it.each(NEVER_PUBLISHED)('%s %s: the protocol\'s not-found, no storage key', async (protocol, urlPath) => {
    const response = await rawRequest(nora.url, urlPath);
    expect(response.status, response.text).toBe(404);
    SHAPES[protocol](response, urlPath);
    expectNoLeak(response);
  });
});

describe('published files whose bytes are missing', () => {
  it('covers every format (an image: manifest, config, two layers)', () => {
    expect(published.map((f) => f.format)).toEqual(['oci', 'oci', 'oci', 'oci', 'npm', 'maven', 'cargo', 'pypi']);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7])('file %i: the protocol\'s not-found, no storage key', async (index) => {
    const file = published[index]!;
    const headers: Record<string, string> = file.accept ? { accept: file.accept } : {};
    const response = await rawRequest(nora.url, file.path, { headers });
    expect(response.status, `GET ${file.path}: ${response.text}`).toBe(404);
    SHAPES[file.format](response, file.path);
    expectNoLeak(response);
    // HEAD answers from the metadata for some formats (200 here): it must not fail or leak either.
    const head = await rawRequest(nora.url, file.path, { method: 'HEAD', headers });
    expect(head.status).toBeLessThan(500);
    expectNoLeak(head);
  });
});
