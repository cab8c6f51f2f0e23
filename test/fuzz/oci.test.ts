// Fuzz /v2 (OCI): hostile repository names and references on every route, broken and lying
// manifests (unknown blobs, wrong sizes, wrong digests, schema 1, deep JSON), blob uploads with
// wrong digests, unknown sessions, hostile pagination and ranges; and valid pushes by callers
// without push. See helpers/fuzz-run.ts for what is asserted.
import { randomUUID } from 'node:crypto';
import { fetchHttp, OCI_INDEX, OCI_MANIFEST, pushImage } from '../helpers/oci-client.js';
import { fuzzProtocol, type FuzzCase } from './helpers/fuzz-run.js';
import { hostileBody, hostileContentType, hostileHeaders, hostileName, hostileNumber, hostileNumberText, hostileSegment, invalidName, invalidSegment, safeEncode, sha256Digest, wrongDigest } from './helpers/hostile.js';
import type { Prng } from './helpers/prng.js';

interface Seeded { repo: string; tag: string; manifest: Buffer; digest: string; blobs: Array<{ digest: string; size: number }> }

const LAYER = 'application/vnd.oci.image.layer.v1.tar';
const invalidTag = (rng: Prng) => rng.pick(['-x', '.x', 'a'.repeat(129), 'x%20y', 'x:y', 'x%00', '%F0%9F%92%A9', 'x@y', invalidSegment(rng)]);

/** An image manifest naming the seeded blobs, broken in one way the registry must notice. */
function brokenManifest(rng: Prng, s: Seeded): Buffer {
  const [config, layer] = s.blobs as [Seeded['blobs'][number], Seeded['blobs'][number]];
  const wrongSize = (real: number) => {
    const n = rng.chance(0.7) ? real + rng.pick([-real, -1, 1, 4096, 2 ** 31]) : hostileNumber(rng);
    return n === real ? real + 1 : n;
  };
  const doc = {
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
    layers: [{ mediaType: LAYER, digest: layer.digest, size: layer.size }] as Array<Record<string, unknown>>,
  } as Record<string, any>;
  rng.oneOf(
    () => { doc.layers[0]!.size = wrongSize(layer.size); },
    () => { doc.config.size = wrongSize(config.size); },
    () => { doc.layers.push({ mediaType: LAYER, digest: wrongDigest(rng), size: rng.int(0, 100) }); },
    () => { doc.config.digest = wrongDigest(rng); },
    () => { doc.schemaVersion = rng.pick([1, 3, '2', null, -2]); },
    () => { doc.layers = rng.pick([null, {}, 'x', [null], [1], [{}]]); },
    () => { doc.mediaType = rng.pick(['application/vnd.docker.distribution.manifest.v1+json', 'x', '', 5]); },
    () => { doc.layers[0]!.size = wrongSize(layer.size); doc.subject = { mediaType: OCI_MANIFEST, digest: wrongDigest(rng), size: hostileNumber(rng) }; },
    () => { doc.layers = Array.from({ length: rng.int(100, 3000) }, () => ({ mediaType: LAYER, digest: `sha256:${rng.hex(64)}`, size: 1 })); },
    () => { Object.assign(doc, { mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: rng.chance(0.5) ? s.digest : wrongDigest(rng), size: rng.chance(0.5) ? s.manifest.length + rng.int(1, 9) : hostileNumber(rng) }] }); delete doc.config; delete doc.layers; },
  );
  return Buffer.from(JSON.stringify(doc));
}

function generate(rng: Prng, s: Seeded): FuzzCase {
  const repo = `/v2/${s.repo}`;
  const c: FuzzCase = rng.oneOf<FuzzCase>(
    // Hostile names on every route, by anyone; with write access the name is surely invalid.
    () => {
      const as = rng.pick(['writer', 'reader', 'anonymous', 'forged'] as const);
      const name = as === 'writer' ? invalidName(rng) : hostileName(rng);
      const resource = rng.pick([`manifests/${rng.oneOf(() => 'latest', () => hostileSegment(rng), () => wrongDigest(rng))}`, `blobs/${wrongDigest(rng)}`, 'blobs/uploads/', `blobs/uploads/${hostileSegment(rng)}`, 'tags/list', `referrers/${wrongDigest(rng)}`]);
      return { as, method: rng.pick(['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE']), path: `/v2/${name}/${resource}`, ...(rng.chance(0.5) ? { body: hostileBody(rng) } : {}) };
    },
    // Broken manifests, to a tag or to a digest they do not hash to.
    () => ({
      as: 'writer', method: 'PUT', path: `${repo}/manifests/${rng.chance(0.5) ? 'fuzzed' : rng.oneOf(() => wrongDigest(rng), () => invalidTag(rng))}`,
      headers: { 'content-type': rng.chance(0.8) ? OCI_MANIFEST : hostileContentType(rng) },
      body: rng.chance(0.7) ? brokenManifest(rng, s) : hostileBody(rng, s.manifest),
    }),
    // A valid manifest where only the reference is wrong: a digest it does not hash to, or a bad tag.
    () => ({ as: 'writer', method: 'PUT', path: `${repo}/manifests/${rng.chance(0.5) ? `sha256:${rng.hex(64)}` : invalidTag(rng)}`, headers: { 'content-type': OCI_MANIFEST }, body: s.manifest }),
    // Monolithic uploads whose digest is not the body's; mounts from nowhere.
    () => {
      const body = hostileBody(rng);
      const digest = rng.chance(0.8) ? wrongDigest(rng) : sha256Digest(Buffer.concat([body, Buffer.from('x')]));
      return { as: 'writer', method: 'POST', path: `${repo}/blobs/uploads/?digest=${safeEncode(digest)}`, headers: { 'content-type': 'application/octet-stream' }, body };
    },
    () => ({ as: 'writer', method: 'POST', path: `${repo}/blobs/uploads/?mount=${rng.chance(0.5) ? safeEncode(wrongDigest(rng)) : s.blobs[0]!.digest}&from=${safeEncode(invalidName(rng))}` }),
    // Sessions that do not exist, with hostile ranges.
    () => ({
      as: 'writer', method: rng.pick(['PATCH', 'PUT', 'GET', 'DELETE']), path: `${repo}/blobs/uploads/${rng.chance(0.5) ? randomUUIDFrom(rng) : hostileSegment(rng)}${rng.chance(0.5) ? `?digest=${safeEncode(wrongDigest(rng))}` : ''}`,
      headers: { 'content-range': rng.pick(['0-0', '5-1', '0-99999999999999999999', '-1-5', 'bytes */*', 'x', `${rng.int(0, 1e9)}-${rng.int(0, 1e9)}`]) },
      body: hostileBody(rng),
    }),
    // Deletes of what is not there.
    () => ({ as: 'writer', method: 'DELETE', path: `${repo}/${rng.pick(['manifests', 'blobs'])}/${rng.chance(0.5) ? wrongDigest(rng) : invalidTag(rng)}` }),
    // Pagination and reads with hostile parameters.
    () => ({ as: rng.pick(['writer', 'reader'] as const), method: 'GET', path: `${rng.pick([`${repo}/tags/list`, '/v2/_catalog'])}?n=${hostileNumberText(rng)}${rng.chance(0.5) ? `&last=${safeEncode(hostileSegment(rng).slice(0, 500))}` : ''}` }),
    () => ({ as: 'reader', method: 'GET', path: `${repo}/blobs/${s.blobs[1]!.digest}`, headers: { range: rng.pick(['bytes=-0', 'bytes=99999999999999999999-', 'bytes=5-1', 'bytes=0-0,1-1', 'bytes=-99999999999999999999', 'bytes=1-']) } }),
    () => ({ as: 'reader', method: 'GET', path: `${repo}/referrers/${wrongDigest(rng)}?artifactType=${safeEncode(hostileSegment(rng).slice(0, 500))}` }),
    // Valid writes by callers without push.
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'POST', path: `${repo}/blobs/uploads/` }),
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'PUT', path: `${repo}/manifests/stolen`, headers: { 'content-type': OCI_MANIFEST }, body: s.manifest }),
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'DELETE', path: `${repo}/manifests/${rng.chance(0.5) ? s.tag : s.digest}` }),
  );
  if (rng.chance(0.15)) c.headers = { ...c.headers, ...hostileHeaders(rng) };
  return c;
}

/** A well-formed upload id that no session has (drawn from the seeded stream, so runs repeat). */
function randomUUIDFrom(rng: Prng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

fuzzProtocol<Seeded>('oci', {
  async seed({ url, writer }) {
    const plain = fetchHttp(url);
    const http: typeof plain = (method, path, options = {}) => plain(method, path, { ...options, headers: { authorization: writer, ...options.headers } });
    const image = await pushImage(http, 'seed/app', '1.0', { layers: [`fuzz seed layer ${randomUUID()}`] });
    const sizes = await Promise.all([image.config, ...image.layers].map(async (digest) => ({ digest, size: Number((await http('HEAD', `/v2/seed/app/blobs/${digest}`)).headers['content-length']) })));
    return { repo: 'seed/app', tag: '1.0', manifest: image.manifest, digest: image.digest, blobs: sizes };
  },
  generate,
});
