// Crate owners, kept as logins in the crate document (mapped onto NORA users once access
// control exists). Adding is immediate (no invitations); removing the last owner is refused
// (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#owners-list).
import type { ObjectStore } from '../storage/object-store.js';
import { updateDocument } from '../storage/documents.js';
import { crateKey, readCrate, type CrateDocument } from './crate-document.js';
import { CargoErrors } from './errors.js';
import { isLookupName } from './names.js';

export interface OwnerUser {
  id: number;
  login: string;
  name: string | null;
}

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,99}$/;

/** Validates the `{"users": [...]}` body of an owners change. */
export function parseOwnerLogins(body: unknown): string[] {
  const users = (body as { users?: unknown } | null)?.users;
  if (!Array.isArray(users) || users.length === 0 || !users.every((u) => typeof u === 'string')) {
    throw CargoErrors.INVALID_METADATA('expected {"users": ["login", ...]}');
  }
  const bad = users.find((u) => !LOGIN.test(u));
  if (bad !== undefined) throw CargoErrors.INVALID_METADATA(`${JSON.stringify(bad)} is not a user login`);
  return users;
}

export async function listOwners(store: ObjectStore, name: string): Promise<OwnerUser[]> {
  const doc = await readCrate(store, name);
  if (!doc) throw CargoErrors.CRATE_NOT_FOUND(name);
  return doc.owners.map((login, i) => ({ id: i + 1, login, name: null }));
}

export interface OwnersChange {
  /** The crate's canonical name. */
  name: string;
  /** Logins actually added or removed (empty: nothing changed, nothing was written). */
  changed: string[];
}

/** Adds or removes owners of `name` (up to case, - and _). */
export async function changeOwners(store: ObjectStore, name: string, logins: string[], change: 'add' | 'remove'): Promise<OwnersChange> {
  if (!isLookupName(name)) throw CargoErrors.CRATE_NOT_FOUND(name);
  let result: OwnersChange = { name, changed: [] };
  await updateDocument<CrateDocument>(store, crateKey(name), (current) => {
    if (!current) throw CargoErrors.CRATE_NOT_FOUND(name);
    const changed = change === 'add'
      ? logins.filter((l, i) => !current.owners.includes(l) && logins.indexOf(l) === i)
      : current.owners.filter((o) => logins.includes(o));
    const owners = change === 'add' ? [...current.owners, ...changed] : current.owners.filter((o) => !logins.includes(o));
    if (owners.length === 0) throw CargoErrors.OWNER_LAST(current.name);
    result = { name: current.name, changed };
    if (changed.length === 0) return undefined;
    return { ...current, owners, updated: new Date().toISOString() };
  });
  return result;
}
