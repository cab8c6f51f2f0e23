// What OCI holds: repositories, tags, and the bytes of the distinct blobs linked into any
// repository plus every stored manifest (a blob shared by two repositories counts once).
import { listAll } from '../storage/object-store.js';
import type { Usage } from '../formats/format-service.js';
import { ROOT, layout } from './layout.js';
import type { LocalOci } from './registry.js';

const ENTRY = /^repos\/oci\/(.+)\/_(manifests|layers|tags)\/(.+)$/;

export async function ociUsage(local: LocalOci): Promise<Usage> {
  const digests = new Set<string>();
  let versions = 0;
  for await (const info of listAll(local.store, ROOT)) {
    const m = ENTRY.exec(info.key);
    if (!m || info.key.startsWith(layout.catalog)) continue;
    if (m[2] === 'tags') versions++;
    else digests.add(m[3]!.replace('/', ':'));
  }
  let bytes = 0;
  for (const digest of digests) bytes += (await local.blobStore.stat(digest))?.size ?? 0;
  return { bytes, names: (await local.catalog.names()).length, versions };
}
