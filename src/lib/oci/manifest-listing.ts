// Every manifest of one repository, tagged or not, with what retention needs to keep an index's
// children and a subject's referrers: its tags, child manifests, subject and blobs. Read from the
// manifest records (the record's store time is the push time) and the stored manifest bytes.
import type { ManifestListing } from '../formats/format-service.js';
import { readDocument } from '../storage/documents.js';
import { listAll, type ObjectInfo } from '../storage/object-store.js';
import { combine, type PullRecord } from '../pulls/pull-tracker.js';
import type { ImageSizes } from './image-size.js';
import { layout } from './layout.js';
import type { LocalOci } from './registry.js';
import type { ManifestRecord } from './manifest-store.js';

export async function listManifests(local: LocalOci, sizes: ImageSizes, name: string, pulls: PullRecord): Promise<ManifestListing[]> {
  const prefix = layout.manifests(name);
  const tagged = new Map<string, string[]>();
  const tagPushed = new Map<string, string>();
  for (const entry of await local.tags.entries(name)) {
    tagged.set(entry.digest, [...(tagged.get(entry.digest) ?? []), entry.tag]);
    tagPushed.set(entry.tag, entry.pushed);
  }
  const infos: ObjectInfo[] = [];
  for await (const info of listAll(local.store, prefix)) infos.push(info);
  const out: ManifestListing[] = [];
  // A few reads at a time: a repository may hold thousands of manifests.
  for (let i = 0; i < infos.length; i += 16) {
    const read = await Promise.all(infos.slice(i, i + 16).map((info) => one(local, sizes, info, tagged, tagPushed, pulls)));
    for (const listing of read) if (listing) out.push(listing);
  }
  return out;
}

async function one(local: LocalOci, sizes: ImageSizes, info: ObjectInfo, tagged: Map<string, string[]>, tagPushed: Map<string, string>, pulls: PullRecord): Promise<ManifestListing | undefined> {
  const record = (await readDocument<ManifestRecord>(local.store, info.key))?.value;
  if (!record) return undefined;
  const parts = await sizes.of(record.digest, record.size);
  const listed = parts.manifest?.manifests;
  const children = Array.isArray(listed) ? listed.flatMap((d: unknown) => (typeof (d as { digest?: unknown })?.digest === 'string' ? [(d as { digest: string }).digest] : [])) : [];
  const tags = tagged.get(record.digest) ?? [];
  return {
    digest: record.digest, mediaType: record.mediaType, pushed: info.modified.toISOString(), tags, tagPushed: Object.fromEntries(tags.map((t) => [t, tagPushed.get(t)!])),
    children, ...(record.subject ? { subject: record.subject } : {}), blobs: parts.blobs, ...combine(pulls, [record.digest, ...tags]),
  };
}
