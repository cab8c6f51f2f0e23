// What OCI holds: repositories, tags, and the bytes of the distinct blobs linked into any
// repository plus every stored manifest (a blob shared by two repositories counts once).
import { listAll } from '../storage/object-store.js';
import type { NameWeight, Usage } from '../formats/format-service.js';
import type { ImageSizes } from './image-size.js';
import { parseReference } from './names.js';
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

/**
 * One repository's weight: the blobs of every manifest stored in it, tagged or not (a push by
 * digest keeps its bytes until it is deleted and collected); versions are its tags.
 */
export async function ociNameWeight(local: LocalOci, sizes: ImageSizes, name: string): Promise<NameWeight> {
  const blobs = new Map<string, number>();
  const prefix = `${ROOT}${name}/_manifests/`;
  for await (const info of listAll(local.store, prefix)) {
    const digest = info.key.slice(prefix.length).replace('/', ':');
    const record = await local.manifests.resolve(name, parseReference(digest)).catch(() => undefined);
    if (!record) continue;
    for (const blob of (await sizes.of(record.digest, record.size)).blobs) blobs.set(blob.digest, blob.size);
  }
  const versions = (await local.tags.entries(name)).length;
  return { versions, blobs: [...blobs].map(([digest, size]) => ({ digest, size })) };
}
