// Tagging an existing manifest in the same or another repository without moving bytes (`nora
// tag`, POST /api/tags): the target repository gets links and manifest records, the blob store
// already holds the bytes. Publishes one TagCreated.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#content-management
import { readDocument, writeDocument } from '../storage/documents.js';
import { collect } from '../storage/body.js';
import type { EventBus } from '../events/bus.js';
import type { MutationContext } from '../formats/format-service.js';
import { layout } from './layout.js';
import { parseManifest } from './manifest.js';
import type { ManifestRecord } from './manifest-store.js';
import { checkName, parseReference } from './names.js';
import { BlobLinks } from './blob-links.js';
import type { LocalOci } from './registry.js';

/** The digest `reference` (tag or digest) names in `name`, or undefined. */
export async function resolveManifest(local: LocalOci, name: string, reference: string): Promise<string | undefined> {
  checkName(name);
  const ref = parseReference(reference);
  const digest = ref.kind === 'tag' ? await local.tags.resolve(name, ref.tag) : ref.text;
  if (!digest) return undefined;
  return (await local.store.stat(layout.manifest(name, digest))) ? digest : undefined;
}

/** Copies a manifest record (and, for an index, its children) with the links of its blobs. */
async function copyManifest(local: LocalOci, from: string, to: string, digest: string): Promise<void> {
  const record = (await readDocument<ManifestRecord>(local.store, layout.manifest(from, digest)))?.value;
  if (!record) return;
  const parsed = parseManifest(await collect((await local.blobStore.open(digest)).body), record.mediaType);
  const links = new BlobLinks(local.store);
  for (const { digest: blob } of parsed.blobs) {
    const link = await links.get(from, blob);
    if (link) await links.link(to, blob, link.size);
  }
  for (const child of parsed.manifests) await copyManifest(local, from, to, child.digest);
  await writeDocument(local.store, layout.manifest(to, digest), record);
  await local.summaries.manifestChanged(to, digest);
}

/** Points `dst` (repository:tag) at what `src` names; undefined when `src` does not exist. */
export async function retag(local: LocalOci, events: EventBus, src: { name: string; reference: string }, dst: { name: string; tag: string }, context: MutationContext = {}): Promise<string | undefined> {
  const digest = await resolveManifest(local, src.name, src.reference);
  checkName(dst.name);
  const ref = parseReference(dst.tag);
  if (ref.kind !== 'tag') throw new TypeError('the target of a tag must be a tag');
  if (!digest) return undefined;
  if (dst.name !== src.name) await copyManifest(local, src.name, dst.name, digest);
  await local.tags.set(dst.name, dst.tag, digest);
  await local.catalog.add(dst.name);
  events.publish({ type: 'TagCreated', artifact: { format: 'oci', name: dst.name, reference: dst.tag, digest }, ...(context.actor ? { actor: context.actor } : {}) });
  return digest;
}
