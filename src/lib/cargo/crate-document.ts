// One JSON document per local crate, repos/cargo/crates/<normalized name>/crate.json: the
// canonical spelling, owners, and every version with its index fields. The index file is
// rendered from it, and every change goes through updateDocument (compare-and-swap), so
// concurrent publishes, yanks and owner changes of one crate never lose a line.
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument } from '../storage/documents.js';
import type { IndexVersion } from './index-line.js';
import { isLookupName, normalizeName } from './names.js';

export const CRATES_PREFIX = 'repos/cargo/crates/';

export interface StoredVersion extends IndexVersion {
  size: number;
  published_at: string;
  published_by: string;
  description: string | null;
}

export interface CrateDocument {
  /** The spelling of the first publish; later publishes must use it. */
  name: string;
  owners: string[];
  versions: StoredVersion[];
  /** ISO time of the last change: the index file's Last-Modified. */
  updated: string;
}

export const crateKey = (name: string): string => `${CRATES_PREFIX}${normalizeName(name)}/crate.json`;

/**
 * The crate whose name is `name` up to case, - and _ (crates.io's canonical name, as its API
 * looks crates up), or undefined; also for a text that is no crate name at all.
 */
export async function readCrate(store: ObjectStore, name: string): Promise<CrateDocument | undefined> {
  return isLookupName(name) ? (await readDocument<CrateDocument>(store, crateKey(name)))?.value : undefined;
}

/** The crate whose name is `name` up to case only (its index file path), or undefined. */
export async function findCrate(store: ObjectStore, name: string): Promise<CrateDocument | undefined> {
  const doc = await readCrate(store, name);
  return doc && doc.name.toLowerCase() === name.toLowerCase() ? doc : undefined;
}

/** Every stored crate document, in key order. */
export async function* allCrates(store: ObjectStore): AsyncGenerator<CrateDocument> {
  let cursor: string | undefined;
  do {
    const page = await store.list(CRATES_PREFIX, { delimiter: '/', ...(cursor === undefined ? {} : { cursor }) });
    for (const prefix of page.prefixes) {
      const doc = await readDocument<CrateDocument>(store, `${prefix}crate.json`);
      if (doc) yield doc.value;
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
}
