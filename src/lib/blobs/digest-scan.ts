// Finds blob digests named inside stored documents, for garbage collection's mark phase. It
// over-approximates on purpose: any "sha256:<hex>" / "sha512:<hex>", and with `bareSha256` any
// 64-hex word (cargo's cksum, PyPI's sha256) or npm "sha512-<base64>" integrity, counts as a
// reference. Marking too much only keeps a blob; marking too little would lose one.
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { collect } from '../storage/body.js';
import { isStorageError } from '../storage/errors.js';

export interface ScanOptions {
  /** Also count bare 64-hex words as sha256 digests. */
  bareSha256?: boolean;
  /** Also count npm "sha512-<base64>" integrity strings. */
  integrity?: boolean;
}

export interface DocumentFilter {
  /** Only documents written at or after this time (the re-check of recent references). */
  since?: Date;
  /** Keys whose references do not count (GC's dry run: links it would remove first). */
  skipKeys?: ReadonlySet<string>;
}

const PREFIXED = /\b(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})\b/g;
const BARE = /(?<![0-9a-f:])[0-9a-f]{64}(?![0-9a-f])/g;
const INTEGRITY = /sha512-([A-Za-z0-9+/]{86}==)/g;

/** Every digest named in `text`, as "<alg>:<hex>". */
export function digestsInText(text: string, options: ScanOptions = {}): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(PREFIXED)) found.add(m[1]!);
  if (options.bareSha256) for (const m of text.matchAll(BARE)) found.add(`sha256:${m[0]}`);
  if (options.integrity) for (const m of text.matchAll(INTEGRITY)) found.add(`sha512:${Buffer.from(m[1]!, 'base64').toString('hex')}`);
  return found;
}

/** Reads an object as text; undefined when it vanished meanwhile. */
export async function readText(store: ObjectStore, key: string): Promise<string | undefined> {
  try {
    return (await collect((await store.get(key)).body)).toString('utf8');
  } catch (error) {
    if (isStorageError(error, 'NOT_FOUND')) return undefined;
    throw error;
  }
}

/** Digests named by every `.json` document under `prefix` (optionally only recent ones). */
export async function* digestsInDocuments(store: ObjectStore, prefix: string, options: ScanOptions & DocumentFilter = {}): AsyncGenerator<string> {
  for await (const info of listAll(store, prefix)) {
    if (!info.key.endsWith('.json')) continue;
    if (options.since && info.modified < options.since) continue;
    if (options.skipKeys?.has(info.key)) continue;
    const text = await readText(store, info.key);
    if (text !== undefined) yield* digestsInText(text, options);
  }
}
