// Manifest validation: the four accepted kinds, schema 1 refused, malformed documents explained.
import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../../src/lib/oci/manifest.js';
import { DOCKER_LIST, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST } from '../../../src/lib/oci/media-types.js';
import { NoraError } from '../../../src/lib/errors/nora-error.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const desc = (c: string, mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip') => ({ mediaType, digest: d(c), size: 10 });
const image = (mediaType = OCI_MANIFEST, extra: Record<string, unknown> = {}) => ({ schemaVersion: 2, mediaType, config: desc('c', 'application/vnd.oci.image.config.v1+json'), layers: [desc('1'), desc('2')], ...extra });
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

function invalid(bytes: Buffer, contentType?: string): NoraError {
  try {
    parseManifest(bytes, contentType);
  } catch (error) {
    return error as NoraError;
  }
  throw new Error('expected MANIFEST_INVALID');
}

describe('parseManifest', () => {
  test('OCI image manifest: config and layers are its blobs; artifactType falls back to the config type', () => {
    const parsed = parseManifest(json(image()), OCI_MANIFEST);
    expect(parsed).toMatchObject({ kind: 'image', mediaType: OCI_MANIFEST, blobs: [{ field: 'config', digest: d('c'), size: 10 }, { field: 'layers[0]', digest: d('1'), size: 10 }, { field: 'layers[1]', digest: d('2'), size: 10 }], manifests: [], artifactType: 'application/vnd.oci.image.config.v1+json' });
  });

  test('Docker schema 2 manifest', () => {
    expect(parseManifest(json(image(DOCKER_MANIFEST)), DOCKER_MANIFEST)).toMatchObject({ kind: 'image', mediaType: DOCKER_MANIFEST });
  });

  test.each([OCI_INDEX, DOCKER_LIST])('%s: children are manifests', (mediaType) => {
    const parsed = parseManifest(json({ schemaVersion: 2, mediaType, manifests: [desc('a', OCI_MANIFEST), desc('b', OCI_MANIFEST)] }), mediaType);
    expect(parsed).toMatchObject({ kind: 'index', blobs: [], manifests: [{ field: 'manifests[0]', digest: d('a'), size: 10 }, { field: 'manifests[1]', digest: d('b'), size: 10 }] });
  });

  test('subject and artifactType are reported', () => {
    const parsed = parseManifest(json(image(OCI_MANIFEST, { artifactType: 'application/x.sig', subject: desc('e', OCI_MANIFEST) })), OCI_MANIFEST);
    expect(parsed.subject?.digest).toBe(d('e'));
    expect(parsed.artifactType).toBe('application/x.sig');
  });

  test('the media type may come from Content-Type alone', () => {
    const { mediaType: _omit, ...noType } = image();
    expect(parseManifest(json(noType), `${OCI_MANIFEST}; charset=utf-8`).mediaType).toBe(OCI_MANIFEST);
  });

  test('schema 1 is refused with a clear message, by Content-Type or by schemaVersion', () => {
    for (const error of [invalid(json({ schemaVersion: 1, name: 'a', tag: 'b', fsLayers: [] })), invalid(json({}), 'application/vnd.docker.distribution.manifest.v1+prettyjws')]) {
      expect(error.code).toBe('MANIFEST_INVALID');
      expect(error.message).toMatch(/schema 1 manifests are not supported/);
    }
  });

  test.each<[string, Buffer, string | undefined, RegExp]>([
    ['not JSON', Buffer.from('{nope'), OCI_MANIFEST, /not valid JSON/],
    ['an array', json([]), OCI_MANIFEST, /JSON object/],
    ['schemaVersion 3', json({ ...image(), schemaVersion: 3 }), OCI_MANIFEST, /schemaVersion must be 2/],
    ['unknown media type', json(image('application/x.other')), undefined, /unsupported manifest media type/],
    ['no media type at all', json({ schemaVersion: 2, config: desc('c'), layers: [] }), 'application/json', /no manifest media type/],
    ['Content-Type disagreeing with mediaType', json(image()), DOCKER_MANIFEST, /does not match/],
    ['config missing', json({ ...image(), config: undefined }), OCI_MANIFEST, /config must be a descriptor/],
    ['layers not an array', json({ ...image(), layers: {} }), OCI_MANIFEST, /layers must be an array/],
    ['bad digest in a layer', json({ ...image(), layers: [{ ...desc('1'), digest: 'sha256:xyz' }] }), OCI_MANIFEST, /layers\[0\]\.digest/],
    ['negative size', json({ ...image(), layers: [{ ...desc('1'), size: -1 }] }), OCI_MANIFEST, /size must be a non-negative integer/],
    ['index without manifests', json({ schemaVersion: 2, mediaType: OCI_INDEX }), OCI_INDEX, /manifests must be an array/],
    ['annotations not strings', json({ ...image(), annotations: { a: 1 } }), OCI_MANIFEST, /annotations/],
  ])('%s is MANIFEST_INVALID', (_name, bytes, contentType, message) => {
    const error = invalid(bytes, contentType);
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});
