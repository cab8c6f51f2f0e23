// Downloading a local .crate: the version's index line names the blob (sha256 = cksum), so a
// download can only ever return the bytes the index promises. Yanked versions stay downloadable.
// The crate is found up to case, - and _; the caller records the pull.
import type { Readable } from 'node:stream';
import type { ObjectInfo } from '../storage/object-store.js';
import { readCrate } from './crate-document.js';
import { CargoErrors } from './errors.js';
import type { CargoStores } from './publish.js';

export interface CrateDownload {
  /** The crate's canonical name. */
  name: string;
  version: string;
  digest: string;
  info: ObjectInfo;
  body: Readable;
}

export async function openLocalCrate({ store, blobs }: CargoStores, name: string, version: string): Promise<CrateDownload> {
  const doc = await readCrate(store, name);
  if (!doc) throw CargoErrors.CRATE_NOT_FOUND(name);
  const entry = doc.versions.find((v) => v.vers === version);
  if (!entry) throw CargoErrors.VERSION_NOT_FOUND(doc.name, version);
  const digest = `sha256:${entry.cksum}`;
  const { info, body } = await blobs.open(digest);
  return { name: doc.name, version, digest, info, body };
}
