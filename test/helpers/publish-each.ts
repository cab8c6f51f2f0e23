// One publish per protocol, as a single step that returns the response the client sees (the
// first refused request, or the final one): an OCI blob upload (POST + PUT, as skopeo does), an
// npm publish, a Maven deploy, a cargo publish and a twine upload. Over inject() or real HTTP.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { fakeCrate, frame, publishMetadata } from './cargo-frame.js';
import { digestOf, pathOf, withQuery, type Http, type Res } from './oci-client.js';
import { publishBody, tarballBytes } from './npm-fixtures.js';
import { twineFields, uploadForm, wheel } from './pypi-dists.js';

export type Format = 'oci' | 'npm' | 'maven' | 'cargo' | 'pypi';

export interface Publication {
  format: Format;
  publish(http: Http): Promise<Res>;
  /** Where the published bytes are served, and the bytes. */
  path: string;
  bytes: Buffer;
}

async function ociUpload(http: Http, name: string, bytes: Buffer): Promise<Res> {
  const start = await http('POST', `/v2/${name}/blobs/uploads/`);
  if (start.status !== 202) return start;
  return http('PUT', withQuery(pathOf(start.headers.location), `digest=${digestOf(bytes)}`), { body: bytes, headers: { 'content-type': 'application/octet-stream' } });
}

/** One publication per format, named after `seed`, each with `size` bytes of content or so. */
export function publications(seed: string, size = 48 * 1024): Publication[] {
  const layer = tarballBytes(`oci ${seed}`, size);
  const tarball = tarballBytes(`npm ${seed}`, size);
  const jar = tarballBytes(`jar ${seed}`, size);
  const crate = fakeCrate(`${seed}-crate`, '1.0.0');
  const dist = wheel({ name: `${seed}-wheel`, version: '1.0' });
  const form = uploadForm(twineFields({ name: `${seed}-wheel`, version: '1.0' }, dist), dist);
  const jarPath = `/maven2/org/example/${seed}/1.0/${seed}-1.0.jar`;
  return [
    { format: 'oci', path: `/v2/full/${seed}/blobs/${digestOf(layer)}`, bytes: layer, publish: (http) => ociUpload(http, `full/${seed}`, layer) },
    { format: 'npm', path: `/npm/${seed}-pkg/-/${seed}-pkg-1.0.0.tgz`, bytes: tarball,
      publish: (http) => http('PUT', `/npm/${seed}-pkg`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(publishBody(`${seed}-pkg`, { version: '1.0.0', tarball })) }) },
    { format: 'maven', path: jarPath, bytes: jar, publish: (http) => http('PUT', jarPath, { body: jar }) },
    { format: 'cargo', path: `/cargo/api/v1/crates/${seed}-crate/1.0.0/download`, bytes: crate,
      publish: (http) => http('PUT', '/cargo/api/v1/crates/new', { body: frame(publishMetadata(`${seed}-crate`, '1.0.0'), crate) }) },
    { format: 'pypi', path: `/pypi/files/${seed}-wheel/${dist.filename}`, bytes: dist.bytes,
      publish: (http) => http('POST', '/pypi/', { body: form.body, headers: { 'content-type': form.contentType } }) },
  ];
}

/** The error message of a response in its protocol's shape (and asserts the shape). */
export function errorMessage(format: Format, response: Res): string {
  const text = response.body.toString('utf8');
  switch (format) {
    case 'oci': {
      const errors = response.json<{ errors: Array<{ code: string; message: string }> }>().errors;
      expect(errors).toHaveLength(1);
      return errors[0]!.message;
    }
    case 'npm': return response.json<{ error: string }>().error;
    case 'cargo': return response.json<{ errors: Array<{ detail: string }> }>().errors[0]!.detail;
    case 'maven':
    case 'pypi':
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      return text.trim();
  }
}

/**
 * Asserts that no stored object is partial: no write in progress is left (tmp/), and every
 * blob's bytes hash to its address. `objects` are the store's keys with their bytes.
 */
export function expectNoPartialObjects(objects: Array<{ key: string; bytes: Buffer }>): void {
  expect(objects.filter((o) => o.key.startsWith('tmp/') || o.key.startsWith('.tmp/')).map((o) => o.key)).toEqual([]);
  for (const { key, bytes } of objects.filter((o) => o.key.startsWith('blobs/'))) {
    const [, algorithm, , hex] = key.split('/');
    expect(createHash(algorithm!).update(bytes).digest('hex'), key).toBe(hex);
  }
}
