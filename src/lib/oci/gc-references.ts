// What OCI metadata keeps alive, for garbage collection: every manifest
// record (the manifest's own blob plus every digest its bytes name: config, layers, child
// manifests, subject) and every repository blob link. Links that no manifest of their repository
// references and that are older than the grace window are "stale": GC removes them first, so the
// blobs of deleted images become collectable. Upload sessions are swept by UploadStore.sweep.
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { blobKey } from '../blobs/digest.js';
import { digestsInText, readText, type DocumentFilter } from '../blobs/digest-scan.js';
import { ROOT } from './layout.js';

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

export interface StaleLink { key: string; repo: string; digest: string }

/** Blob links older than `cutoff` that no manifest of their repository references. */
export async function staleLinks(store: ObjectStore, cutoff: Date): Promise<StaleLink[]> {
  const used = new Map<string, Set<string>>();
  const links: (StaleLink & { modified: Date })[] = [];
  for await (const info of listAll(store, ROOT)) {
    const m = ENTRY.exec(info.key);
    if (!m) continue;
    const digest = `${m[3]}:${m[4]}`;
    if (m[2] === 'layers') { links.push({ repo: m[1]!, digest, key: info.key, modified: info.modified }); continue; }
    const set = used.get(m[1]!) ?? new Set<string>();
    for (const d of await manifestDigests(store, digest)) set.add(d);
    used.set(m[1]!, set);
  }
  return links.filter((l) => l.modified < cutoff && !used.get(l.repo)?.has(l.digest)).map(({ key, repo, digest }) => ({ key, repo, digest }));
}
