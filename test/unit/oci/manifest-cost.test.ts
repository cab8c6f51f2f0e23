// Manifest and index validation costs about the same for hostile documents as for a normal one
// of the same size (manifests are capped by docker.manifest_max_size, 4 MiB by default; these
// use 1 MiB): deep nesting, thousands of descriptors and huge annotation maps are linear.
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/lib/oci/manifest.js';
import { OCI_INDEX, OCI_MANIFEST } from '../../../src/lib/oci/media-types.js';
import { costRatio, describeCost } from '../../helpers/cost-ratio.js';

const SIZE = 1024 * 1024;
const hex = (i: number) => i.toString(16).padStart(64, '0');
const layer = (i: number) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${hex(i)}`, size: 1000 + i });

/** `build(n)` with n grown until the JSON is about SIZE bytes. */
function sized(build: (n: number) => unknown): Buffer {
  let n = 1;
  while (JSON.stringify(build(n * 2)).length < SIZE) n *= 2;
  for (let step = n / 2; step >= 1; step /= 2) if (JSON.stringify(build(n + step)).length < SIZE) n += step;
  return Buffer.from(JSON.stringify(build(n)));
}

const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 1234 };
// An index as buildx writes it, grown to SIZE: per platform an image entry and an attestation
// entry that points back at it.
const normal = sized((n) => ({
  schemaVersion: 2, mediaType: OCI_INDEX,
  manifests: Array.from({ length: n }, (_v, i) => (i % 2 === 0
    ? { ...layer(i), mediaType: OCI_MANIFEST, platform: { architecture: 'arm', os: 'linux', variant: 'v7' } }
    : { ...layer(i), mediaType: OCI_MANIFEST, platform: { architecture: 'unknown', os: 'unknown' }, annotations: { 'vnd.docker.reference.digest': `sha256:${hex(i - 1)}`, 'vnd.docker.reference.type': 'attestation-manifest' } })),
}));

describe('manifest validation cost on hostile documents', { timeout: 120_000 }, () => {
  it.each([
    ['an unknown field nested 500,000 deep (refused at 64 levels)', 10, OCI_MANIFEST, Buffer.from(`{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}","config":${JSON.stringify(config)},"layers":[],"x":${'['.repeat(SIZE / 2)}${']'.repeat(SIZE / 2)}}`)],
    ['a digest nested 500,000 deep (refused at 64 levels)', 10, OCI_MANIFEST, Buffer.from(`{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}","config":{"mediaType":"x","size":1,"digest":${'['.repeat(SIZE / 2)}${']'.repeat(SIZE / 2)}},"layers":[]}`)],
    ['tens of thousands of layers', 10, OCI_MANIFEST, sized((n) => ({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: Array.from({ length: n }, (_v, i) => layer(i)) }))],
    ['descriptors with platforms nested 60 deep', 10, OCI_INDEX, sized((n) => ({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: Array.from({ length: n }, (_v, i) => ({ ...layer(i), mediaType: OCI_MANIFEST, platform: JSON.parse(`${'{"a":'.repeat(60)}1${'}'.repeat(60)}`) })) }))],
    // JSON.parse itself builds an 80,000-key object (dictionary mode) ~7x slower per byte than an
    // index's small objects: linear, hence the looser bound; super-linear work would be 100x+.
    ['an annotation map of tens of thousands of keys', 25, OCI_MANIFEST, sized((n) => ({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [], annotations: Object.fromEntries(Array.from({ length: n }, (_v, i) => [`k${i}`, 'v'])) }))],
  ])('%s costs less than %dx a normal index of the same size', async (_label, bound, contentType, worst) => {
    expect(Math.abs(worst.length - normal.length)).toBeLessThan(SIZE / 4);
    const parse = (bytes: Buffer, type: string) => () => { try { parseManifest(bytes, type); } catch { /* refusing is fine */ } };
    const cost = await costRatio(parse(normal, OCI_INDEX), parse(worst, contentType));
    expect(cost.ratio, describeCost(cost)).toBeLessThan(bound);
  });

  it('refuses JSON nested deeper than 64 levels as MANIFEST_INVALID, and quotes hostile values briefly', () => {
    const nested = (levels: number) => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [], annotations: {}, x: JSON.parse(`${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}`) }));
    expect(() => parseManifest(nested(64), OCI_MANIFEST)).not.toThrow();
    expect(() => parseManifest(nested(65), OCI_MANIFEST)).toThrow(expect.objectContaining({ code: 'MANIFEST_INVALID', message: expect.stringContaining('nests deeper than 64 levels') }));
    const long = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...config, digest: 'x'.repeat(100_000) }, layers: [] }));
    expect(() => parseManifest(long, OCI_MANIFEST)).toThrow(expect.objectContaining({ code: 'MANIFEST_INVALID', message: expect.stringMatching(/config\.digest "x{199}… is not a sha256 or sha512 digest$/) }));
  });
});
