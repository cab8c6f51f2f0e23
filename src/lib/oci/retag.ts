// Administrative tag and delete operations (`nora tag`, `nora delete`, /api/): tag an existing
// manifest in the same or another repository without moving bytes (the target repository gets
// links and manifest records, the blob store already holds the bytes), delete a tag, or delete a
// manifest with the tags naming it. Blobs stay until garbage collection finds them unreferenced.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#content-management
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, writeDocument } from '../storage/documents.js';
import { collect } from '../storage/body.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { BlobLinks } from './blob-links.js';
import { Catalog } from './catalog.js';
import { layout } from './layout.js';
import { parseManifest } from './manifest.js';
import type { ManifestRecord } from './manifest-store.js';
import { checkName, parseReference } from './names.js';
import { TagStore } from './tag-store.js';

/** The digest `reference` (tag or digest) names in `name`, or undefined. */
export async function resolveManifest(store: ObjectStore, name: string, reference: string): Promise<string | undefined> {
  checkName(name);
  const ref = parseReference(reference);
  const digest = ref.kind === 'tag' ? await new TagStore(store).resolve(name, ref.tag) : ref.text;
  if (!digest) return undefined;
  return (await store.stat(layout.manifest(name, digest))) ? digest : undefined;
}

/** Copies a manifest record (and, for an index, its children) with the links of its blobs. */
async function copyManifest(store: ObjectStore, blobs: BlobStore, from: string, to: string, digest: string): Promise<void> {
  const record = (await readDocument<ManifestRecord>(store, layout.manifest(from, digest)))?.value;
  if (!record) return;
  const parsed = parseManifest(await collect((await blobs.open(digest)).body), record.mediaType);
  const links = new BlobLinks(store);
  for (const { digest: blob } of parsed.blobs) {
    const link = await links.get(from, blob);
    if (link) await links.link(to, blob, link.size);
  }
  for (const child of parsed.manifests) await copyManifest(store, blobs, from, to, child.digest);
  await writeDocument(store, layout.manifest(to, digest), record);
}

/** Points `dst` (repository:tag) at what `src` names; false when `src` does not exist. */
export async function tagManifest(store: ObjectStore, blobs: BlobStore, src: { name: string; reference: string }, dst: { name: string; tag: string }): Promise<string | undefined> {
  const digest = await resolveManifest(store, src.name, src.reference);
  checkName(dst.name);
  const ref = parseReference(dst.tag);
  if (ref.kind !== 'tag') throw new TypeError('the target of a tag must be a tag');
  if (!digest) return undefined;
  if (dst.name !== src.name) await copyManifest(store, blobs, src.name, dst.name, digest);
  await new TagStore(store).set(dst.name, dst.tag, digest);
  await new Catalog(store).add(dst.name);
  return digest;
}

/** Deletes a tag, or a manifest (by digest) and every tag naming it; false when absent. */
export async function deleteManifest(store: ObjectStore, name: string, reference: string): Promise<boolean> {
  checkName(name);
  const ref = parseReference(reference);
  const tags = new TagStore(store);
  if (ref.kind === 'tag') return tags.delete(name, ref.tag);
  for (const tag of await tags.pointingAt(name, ref.text)) await tags.delete(name, tag);
  return store.delete(layout.manifest(name, ref.text));
}
