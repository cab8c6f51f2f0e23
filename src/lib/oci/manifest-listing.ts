// Every manifest of one repository, tagged or not, with what retention needs to keep an index's
// children and a subject's referrers: its tags, child manifests, subject and blobs. Read from the
// repository's summary (repo-summary.ts): one document, not a read per tag, record and manifest;
// only an index's blobs come from ImageSizes (its children's, memoized by digest).
import type { ManifestListing } from '../formats/format-service.js';
import { combine, type PullRecord } from '../pulls/pull-tracker.js';
import type { ImageSizes } from './image-size.js';
import type { LocalOci } from './registry.js';

export async function listManifests(local: LocalOci, sizes: ImageSizes, name: string, pulls: PullRecord): Promise<ManifestListing[]> {
  const summary = await local.summaries.read(name);
  const tagged = new Map<string, string[]>();
  for (const [tag, entry] of Object.entries(summary.tags)) tagged.set(entry.digest, [...(tagged.get(entry.digest) ?? []), tag]);
  const out: ManifestListing[] = [];
  for (const [digest, m] of Object.entries(summary.manifests)) {
    const tags = (tagged.get(digest) ?? []).sort();
    out.push({
      digest, mediaType: m.mediaType, pushed: m.pushed, tags, tagPushed: Object.fromEntries(tags.map((t) => [t, summary.tags[t]!.pushed])),
      children: m.children, ...(m.subject ? { subject: m.subject } : {}), blobs: m.blobs ?? (await sizes.of(digest, m.size)).blobs, ...combine(pulls, [digest, ...tags]),
    });
  }
  // Key order of the records (digest order), as the listing of the records gave it.
  return out.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
}
