// Yank and unyank: a flag on one version's index line; the .crate stays downloadable, as cargo
// expects for lockfiles that already name it
// (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#yank). Idempotent.
import type { ObjectStore } from '../storage/object-store.js';
import { updateDocument } from '../storage/documents.js';
import { crateKey, type CrateDocument } from './crate-document.js';
import { CargoErrors } from './errors.js';

/** Sets the yanked flag of `name@version`; CRATE_NOT_FOUND / VERSION_NOT_FOUND when absent. */
export async function setYanked(store: ObjectStore, name: string, version: string, yanked: boolean): Promise<void> {
  await updateDocument<CrateDocument>(store, crateKey(name), (current) => {
    if (!current || current.name.toLowerCase() !== name.toLowerCase()) throw CargoErrors.CRATE_NOT_FOUND(name);
    const index = current.versions.findIndex((v) => v.vers === version);
    if (index < 0) throw CargoErrors.VERSION_NOT_FOUND(current.name, version);
    if (current.versions[index]!.yanked === yanked) return undefined;
    const versions = current.versions.map((v, i) => (i === index ? { ...v, yanked } : v));
    return { ...current, versions, updated: new Date().toISOString() };
  });
}
