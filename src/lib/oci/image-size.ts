// The size of an image as listings show it (`nora images ls`, GET /api/artifacts): the bytes of
// its config and layers, as their descriptors declare them (what a pull transfers besides the
// manifest itself). For an index (several platforms), the sum over the platforms whose manifest
// is stored in the repository, a blob that several platforms share counted once; a platform a
// pull-through cache never fetched counts nothing until it is fetched.
import type { ObjectStore } from '../storage/object-store.js';
import { blobKey } from '../blobs/digest.js';
import { readText } from '../blobs/digest-scan.js';
import { readDocument } from '../storage/documents.js';
import { layout } from './layout.js';

/** Indexes nest rarely and shallowly; deeper ones are not followed (their bytes count nothing). */
const MAX_DEPTH = 4;

interface SizedDescriptor { digest?: unknown; size?: unknown }

const sized = (value: unknown): value is SizedDescriptor & { digest: string; size: number } =>
  typeof value === 'object' && value !== null && typeof (value as SizedDescriptor).digest === 'string' && Number.isSafeInteger((value as SizedDescriptor).size);

/** Config + layer bytes of the manifest `digest` in repository `name`; 0 when it is not stored. */
export async function imageSize(store: ObjectStore, name: string, digest: string): Promise<number> {
  const blobs = new Map<string, number>();
  await collect(store, name, digest, blobs, new Set(), 0);
  let total = 0;
  for (const size of blobs.values()) total += size;
  return total;
}

async function collect(store: ObjectStore, name: string, digest: string, blobs: Map<string, number>, seen: Set<string>, depth: number): Promise<void> {
  if (seen.has(digest) || depth > MAX_DEPTH) return;
  seen.add(digest);
  const text = await readText(store, blobKey(digest));
  if (text === undefined) return;
  let doc: { config?: unknown; layers?: unknown; manifests?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    return;
  }
  for (const blob of [doc.config, ...(Array.isArray(doc.layers) ? doc.layers : [])]) {
    if (sized(blob)) blobs.set(blob.digest, blob.size);
  }
  for (const child of Array.isArray(doc.manifests) ? doc.manifests : []) {
    if (!sized(child)) continue;
    if (!(await readDocument(store, layout.manifest(name, child.digest)))) continue;
    await collect(store, name, child.digest, blobs, seen, depth + 1);
  }
}
