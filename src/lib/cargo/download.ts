// Downloading a local .crate: the version's index line names the blob (sha256 = cksum), so a
// download can only ever return the bytes the index promises. Yanked versions stay downloadable.
import type { Readable } from 'node:stream';
import type { ObjectInfo } from '../storage/object-store.js';
import { findCrate } from './crate-document.js';
import { CargoErrors } from './errors.js';
import type { CargoStores } from './publish.js';

export interface CrateDownload {
  name: string;
  version: string;
  cksum: string;
  info: ObjectInfo;
  body: Readable;
}

export async function openLocalCrate({ store, blobs, events }: CargoStores, name: string, version: string, actor: string): Promise<CrateDownload> {
  const doc = await findCrate(store, name);
  if (!doc) throw CargoErrors.CRATE_NOT_FOUND(name);
  const entry = doc.versions.find((v) => v.vers === version);
  if (!entry) throw CargoErrors.VERSION_NOT_FOUND(doc.name, version);
  const { info, body } = await blobs.open(`sha256:${entry.cksum}`);
  events.publish({ type: 'ArtifactPulled', artifact: { format: 'cargo', name: doc.name, reference: version, digest: `sha256:${entry.cksum}` }, actor });
  return { name: doc.name, version, cksum: entry.cksum, info, body };
}
