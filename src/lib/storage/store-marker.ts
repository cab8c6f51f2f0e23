// The store's format marker: one small document at the root of every NORA store saying which
// layout it holds and when it was created. It is how an operator command knows it opened a real
// store (not an empty directory it just made, or a mistyped bucket prefix), and the hook for
// upgrading a store written by an older NORA: layout N is carried to N+1 by UPGRADES[N].
//
// Opening a store (openMarker):
//   marker present, same layout     -> opened
//   marker present, older layout    -> each upgrade runs in turn, then the marker is rewritten;
//                                      with no upgrade for that layout, refused (STORE_LAYOUT_UNSUPPORTED)
//   marker present, newer layout    -> refused: a newer NORA wrote it
//   no marker, artifacts present    -> adopted (a store written before the marker existed)
//   no marker, nothing stored       -> created when `create`, else STORE_NOT_FOUND
// Only `serve` and `restore` create; every other command opens an existing store.
import type { ObjectStore } from './object-store.js';
import { isStorageError, StorageErrors, PreconditionFailed } from './errors.js';
import { readDocument } from './documents.js';

/** The layout this NORA writes and reads. */
export const STORE_LAYOUT_VERSION = 1;
export const MARKER_KEY = 'nora-store.json';
const MARKER_FORMAT = 'nora-store';
/** Prefixes whose objects show that NORA wrote this store (blobs and format metadata). */
const ARTIFACT_PREFIXES = ['blobs/', 'repos/'];

export interface StoreMarker {
  format: typeof MARKER_FORMAT;
  layout_version: number;
  /** ISO time the store was created (or adopted, or last upgraded). */
  created: string;
  /** The NORA version that wrote the marker. */
  written_by: string;
}

/** Carries a store from one layout to the next; must be idempotent (a crash re-runs it). */
export type LayoutUpgrade = (store: ObjectStore) => Promise<void>;

/** From layout N to N+1. Empty: layout 1 is the first. */
export const UPGRADES: Readonly<Record<number, LayoutUpgrade>> = {};

export interface OpenMarkerOptions {
  /** Write a marker into an empty store (serve, restore); otherwise an empty store is refused. */
  create: boolean;
  /** How the operator names this store: an absolute path or s3://bucket/prefix. */
  location: string;
  /** NORA's version, recorded in a marker it writes. */
  version: string;
  now?: () => Date;
  /** Tests name another current layout and its upgrades. */
  current?: number;
  upgrades?: Readonly<Record<number, LayoutUpgrade>>;
}

export type MarkerOutcome = 'opened' | 'created' | 'adopted' | 'upgraded';

export const StoreNotFound = (location: string) => StorageErrors.STORE_NOT_FOUND.error(
  `no NORA store at ${location}`, { location });
const unsupported = (location: string, why: string) => StorageErrors.STORE_LAYOUT_UNSUPPORTED.error(
  `the store at ${location} ${why}`, { location });

/** Reads the marker; undefined when there is none. A marker that is not one is refused. */
export async function readMarker(store: ObjectStore, location: string): Promise<StoreMarker | undefined> {
  let doc;
  try {
    doc = await readDocument<Partial<StoreMarker>>(store, MARKER_KEY);
  } catch (error) {
    if (error instanceof SyntaxError) throw unsupported(location, `has a ${MARKER_KEY} that is not JSON; it was not written by NORA`);
    throw error;
  }
  if (!doc) return undefined;
  const value = doc.value;
  if (value?.format !== MARKER_FORMAT || !Number.isInteger(value.layout_version)) {
    throw unsupported(location, `has a ${MARKER_KEY} that is not a NORA store marker`);
  }
  return value as StoreMarker;
}

/** True when any object shows that NORA wrote this store (used to adopt marker-less stores). */
export async function holdsNoraObjects(store: ObjectStore): Promise<boolean> {
  for (const prefix of ARTIFACT_PREFIXES) if ((await store.list(prefix, { limit: 1 })).items.length > 0) return true;
  return false;
}

async function writeMarker(store: ObjectStore, layout: number, options: OpenMarkerOptions, replace: boolean): Promise<void> {
  const marker: StoreMarker = { format: MARKER_FORMAT, layout_version: layout, created: (options.now?.() ?? new Date()).toISOString(), written_by: options.version };
  const body = Buffer.from(`${JSON.stringify(marker, null, 2)}\n`);
  await store.put(MARKER_KEY, body, replace ? {} : { ifNoneMatch: '*' });
}

/**
 * Checks (and if needed writes) the marker as the table at the top says. Two processes
 * creating one store at once agree: the marker is created with a no-replace put, and the loser
 * reads the winner's marker.
 */
export async function openMarker(store: ObjectStore, options: OpenMarkerOptions): Promise<MarkerOutcome> {
  const current = options.current ?? STORE_LAYOUT_VERSION;
  const upgrades = options.upgrades ?? UPGRADES;
  let marker = await readMarker(store, options.location);
  if (!marker) {
    const adopt = await holdsNoraObjects(store);
    if (!adopt && !options.create) throw StoreNotFound(options.location);
    try {
      // A store without a marker was written by NORA before markers existed: layout 1.
      await writeMarker(store, adopt ? 1 : current, options, false);
    } catch (error) {
      if (!isStorageError(error, 'PRECONDITION_FAILED')) throw error;
    }
    marker = await readMarker(store, options.location);
    if (!marker) throw PreconditionFailed(MARKER_KEY);
    if (marker.layout_version === current) return adopt ? 'adopted' : 'created';
  }
  const found = marker.layout_version;
  if (found > current) {
    throw unsupported(options.location, `has layout version ${found}, written by a newer NORA (${marker.written_by}); this NORA reads layout ${current}. Run the newer NORA, or restore a backup into an empty store`);
  }
  if (found === current) return 'opened';
  for (let layout = found; layout < current; layout++) {
    if (!upgrades[layout]) {
      throw unsupported(options.location, `has layout version ${found}, which this NORA (layout ${current}) cannot upgrade; back it up with the NORA that wrote it (${marker.written_by}) and restore the backup into an empty store`);
    }
  }
  for (let layout = found; layout < current; layout++) {
    await upgrades[layout]!(store);
    await writeMarker(store, layout + 1, options, true);
  }
  return 'upgraded';
}
