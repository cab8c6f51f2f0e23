// What OCI metadata keeps alive, for garbage collection and `nora images ls`: every manifest
// record (the manifest's own blob plus every digest its bytes name: config, layers, child
// manifests, subject) and every repository blob link. Links that no manifest of their repository
// references and that are older than the grace window are "stale": GC removes them first, so the
// blobs of deleted images become collectable. Upload sessions are swept by UploadStore.sweep.
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { readDocument } from '../storage/documents.js';
import { blobKey } from '../blobs/digest.js';
import { digestsInText, readText, type DocumentFilter } from '../blobs/digest-scan.js';
import { ROOT, layout } from './layout.js';
import { imageSize } from './image-size.js';
import { UploadStore } from './upload-store.js';

const ENTRY = /^repos\/oci\/(.+)\/_(manifests|layers)\/(sha256|sha512)\/([0-9a-f]+)$/;

async function manifestDigests(store: ObjectStore, digest: string): Promise<Set<string>> {
  const text = await readText(store, blobKey(digest));
  const found = text === undefined ? new Set<string>() : digestsInText(text);
  found.add(digest);
  return found;
}

/** Every blob digest OCI metadata references (only entries written since `since`, if given). */
export async function* referencedBlobs(store: ObjectStore, filter: DocumentFilter = {}): AsyncGenerator<string> {
  for await (const info of listAll(store, ROOT)) {
    if (filter.since && info.modified < filter.since) continue;
    if (filter.skipKeys?.has(info.key)) continue;
    const m = ENTRY.exec(info.key);
    if (!m) continue;
    const digest = `${m[3]}:${m[4]}`;
    if (m[2] === 'layers') yield digest;
    else yield* await manifestDigests(store, digest);
  }
}

/** Keys of blob links older than `cutoff` that no manifest of their repository references. */
export async function staleLinks(store: ObjectStore, cutoff: Date): Promise<string[]> {
  const used = new Map<string, Set<string>>();
  const links: { repo: string; digest: string; key: string; modified: Date }[] = [];
  for await (const info of listAll(store, ROOT)) {
    const m = ENTRY.exec(info.key);
    if (!m) continue;
    const digest = `${m[3]}:${m[4]}`;
    if (m[2] === 'layers') { links.push({ repo: m[1]!, digest, key: info.key, modified: info.modified }); continue; }
    const set = used.get(m[1]!) ?? new Set<string>();
    for (const d of await manifestDigests(store, digest)) set.add(d);
    used.set(m[1]!, set);
  }
  return links.filter((l) => l.modified < cutoff && !used.get(l.repo)?.has(l.digest)).map((l) => l.key);
}

/** Removes upload sessions idle for longer than `ttlMs`; returns how many. */
export async function sweepUploads(store: ObjectStore, ttlMs: number, now?: () => number): Promise<number> {
  return new UploadStore(store, ttlMs, now).sweep();
}

export interface OciListing { name: string; version: string; digest: string; size: number; pushed: string }

/** Every tag of every repository with the manifest it names and the image's size (image-size.ts). */
export async function* listImages(store: ObjectStore): AsyncGenerator<OciListing> {
  for await (const entry of listAll(store, layout.catalog)) {
    const name = layout.catalogName(entry.key);
    for await (const tag of listAll(store, layout.tags(name))) {
      const record = (await readDocument<{ digest: string; pushed?: string }>(store, tag.key))?.value;
      if (!record) continue;
      const digest = record.digest;
      yield { name, version: tag.key.slice(layout.tags(name).length), digest, size: await imageSize(store, name, digest), pushed: record.pushed ?? tag.modified.toISOString() };
    }
  }
}
