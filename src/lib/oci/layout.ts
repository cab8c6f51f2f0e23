// Where OCI metadata lives in the store. Bytes (layers, configs, manifests) are blobs in the
// shared blob store; everything here is a small JSON document or an upload chunk.
//
//   repos/oci/<name>/_layers/<alg>/<hex>               blob linked into the repository
//   repos/oci/<name>/_manifests/<alg>/<hex>            manifest record (media type, size, subject)
//   repos/oci/<name>/_tags/<tag>                       {"digest"}: replaced atomically
//   repos/oci/<name>/_summary                          tags and manifests in one document (repo-summary.ts)
//   repos/oci/<name>/_referrers/<alg>/<hex>/<alg>-<hex> descriptor of a manifest whose subject is <alg>:<hex>
//   repos/oci/<name>/_uploads/<uuid>/state             upload session state
//   repos/oci/<name>/_uploads/<uuid>/chunk-<offset>-<n> bytes of one PATCH
//   repos/oci/<name>/_uploads/<uuid>/data-<server>      every PATCH via one server, in place (fs)
//   repos/oci/<name>/_upstream/origin                  {"upstream"}: the repository is a pull-through cache
//   repos/oci/<name>/_upstream/tags/<tag>              {"digest","checked"}: when a cached tag was last revalidated
//   repos/oci/_catalog/<name with "/" as "~">          marker: the repository exists
//   repos/oci/_catalog-stamp                           rewritten after each new marker (catalog.ts)
//   repos/oci/_open-uploads/<uuid>                     {"name"}: lets expiry find sessions
// Name components never start with "_", so repository paths and these folders cannot collide.
import { parseDigest } from '../blobs/digest.js';

export const ROOT = 'repos/oci/';
const repo = (name: string) => `${ROOT}${name}/`;
const digestPath = (digest: string) => {
  const d = parseDigest(digest);
  if (!d) throw new Error(`not a digest: ${digest}`);
  return `${d.algorithm}/${d.hex}`;
};

export const layout = {
  layer: (name: string, digest: string) => `${repo(name)}_layers/${digestPath(digest)}`,
  manifest: (name: string, digest: string) => `${repo(name)}_manifests/${digestPath(digest)}`,
  manifests: (name: string) => `${repo(name)}_manifests/`,
  tags: (name: string) => `${repo(name)}_tags/`,
  tag: (name: string, tag: string) => `${repo(name)}_tags/${tag}`,
  summary: (name: string) => `${repo(name)}_summary`,
  referrers: (name: string, subject: string) => `${repo(name)}_referrers/${digestPath(subject)}/`,
  referrer: (name: string, subject: string, digest: string) => `${repo(name)}_referrers/${digestPath(subject)}/${digest.replace(':', '-')}`,
  upload: (name: string, id: string) => `${repo(name)}_uploads/${id}/`,
  uploadState: (name: string, id: string) => `${repo(name)}_uploads/${id}/state`,
  upstreamOrigin: (name: string) => `${repo(name)}_upstream/origin`,
  upstreamTag: (name: string, tag: string) => `${repo(name)}_upstream/tags/${tag}`,
  catalog: `${ROOT}_catalog/`,
  catalogEntry: (name: string) => `${ROOT}_catalog/${name.replaceAll('/', '~')}`,
  catalogStamp: `${ROOT}_catalog-stamp`,
  catalogName: (key: string) => key.slice(`${ROOT}_catalog/`.length).replaceAll('~', '/'),
  openUploads: `${ROOT}_open-uploads/`,
  openUpload: (id: string) => `${ROOT}_open-uploads/${id}`,
  /** True for the keys of upload sessions (in-flight state, not artifacts). */
  isUploadKey: (key: string) => UPLOAD_SESSION.test(key),
};

const UPLOAD_SESSION = /^repos\/oci\/(.+\/_uploads\/|_open-uploads\/)/;
