// Yank and unyank: a flag on one version's index line; the .crate stays downloadable, as cargo
// expects for lockfiles that already name it
// (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#yank). Idempotent.
import type { ObjectStore } from '../storage/object-store.js';
import { updateDocument } from '../storage/documents.js';
import { crateKey, type CrateDocument, type StoredVersion } from './crate-document.js';
import { CargoErrors } from './errors.js';
import { isLookupName } from './names.js';

export interface YankResult {
  /** The crate's canonical name. */
  name: string;
  version: StoredVersion;
  /** False when the flag already had that value (nothing was written). */
  changed: boolean;
}

/**
 * Sets the yanked flag of `name@version` (`name` up to case, - and _); CRATE_NOT_FOUND /
 * VERSION_NOT_FOUND when absent.
 */
export async function setYanked(store: ObjectStore, name: string, version: string, yanked: boolean): Promise<YankResult> {
  if (!isLookupName(name)) throw CargoErrors.CRATE_NOT_FOUND(name);
  let result: YankResult | undefined;
  await updateDocument<CrateDocument>(store, crateKey(name), (current) => {
    if (!current) throw CargoErrors.CRATE_NOT_FOUND(name);
    const index = current.versions.findIndex((v) => v.vers === version);
    if (index < 0) throw CargoErrors.VERSION_NOT_FOUND(current.name, version);
    const entry = current.versions[index]!;
    result = { name: current.name, version: entry, changed: entry.yanked !== yanked };
    if (!result.changed) return undefined;
    const versions = current.versions.map((v, i) => (i === index ? { ...v, yanked } : v));
    return { ...current, versions, updated: new Date().toISOString() };
  });
  return result!;
}
