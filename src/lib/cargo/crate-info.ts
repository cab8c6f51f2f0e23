// What GET /cargo/api/v1/crates/<name> answers, in the shape crates.io gives that endpoint
// (its `crate` and `versions`): the crate with its highest version and latest description, and
// each version in publish order with its checksum, yank state, size, publish time and the
// description it was published with. The sparse index lacks the descriptions; a replica pulling
// this registry reads them here, so its copies carry what the original publishes carried.
import type { CrateDocument } from './crate-document.js';
import { maxVersion } from './search.js';

export interface CrateInfo {
  crate: { id: string; name: string; max_version: string; description: string | null; updated_at: string };
  versions: Array<{ crate: string; num: string; checksum: string; yanked: boolean; crate_size: number; created_at: string; description: string | null; dl_path: string }>;
}

export function crateInfo(doc: CrateDocument): CrateInfo {
  return {
    crate: { id: doc.name, name: doc.name, max_version: maxVersion(doc), description: doc.versions.at(-1)?.description ?? null, updated_at: doc.updated },
    versions: doc.versions.map((v) => ({
      crate: doc.name, num: v.vers, checksum: v.cksum, yanked: v.yanked, crate_size: v.size, created_at: v.published_at, description: v.description,
      dl_path: `/api/v1/crates/${encodeURIComponent(doc.name)}/${encodeURIComponent(v.vers)}/download`,
    })),
  };
}
