// Changing published releases (the pypi format service calls these for the management API, the
// CLI and later retention): yank and unyank a release (PEP 592: pip skips yanked files unless
// pinned with ==), delete a release or a single file. A release is found by PEP 440 equality
// (1.0 finds 1.0.0's files). Each change is one compare-and-swap of the project document and
// publishes one event naming the release (or the file) as stored; a change that changes nothing
// publishes none. Deleted files' blobs stay until garbage collection finds them unreferenced.
// https://peps.python.org/pep-0592/
import type { ObjectStore } from '../storage/object-store.js';
import type { EventBus, MutationType } from '../events/bus.js';
import { CommonErrors } from '../errors/catalog.js';
import { isValidName, normalizeName } from './names.js';
import { sameRelease } from './versions.js';
import { updateProject, type StoredFile } from './project-store.js';

export interface ReleaseDeps {
  store: ObjectStore;
  events: EventBus;
}

interface Change {
  /** The files `pick` chose (empty: NOT_FOUND was thrown). */
  picked: StoredFile[];
  changed: boolean;
}

/** Applies `change` to the files of the project; NOT_FOUND (naming `what`) when `pick` chooses none. */
async function changeFiles(store: ObjectStore, name: string, what: string, pick: (file: StoredFile) => boolean,
  change: (file: StoredFile) => StoredFile | undefined): Promise<Change> {
  const result: Change = { picked: [], changed: false };
  // Not a valid name: no document can exist under it (and it must not reach a storage key).
  if (!isValidName(name)) throw CommonErrors.NOT_FOUND(what);
  await updateProject(store, normalizeName(name), (current) => {
    result.picked = current?.files.filter(pick) ?? [];
    if (!current || result.picked.length === 0) throw CommonErrors.NOT_FOUND(what);
    const files = current.files.flatMap((file) => (pick(file) ? (change(file) ?? []) : [file]));
    result.changed = files.length !== current.files.length || files.some((file, i) => file !== current.files[i]);
    return result.changed ? { ...current, files } : undefined;
  });
  return result;
}

function announce(deps: ReleaseDeps, type: MutationType, name: string, reference: string, file: StoredFile, actor?: string): void {
  deps.events.publish({ type, artifact: { format: 'pypi', name: normalizeName(name), reference, digest: file.digest }, ...(actor ? { actor } : {}) });
}

async function setYank(deps: ReleaseDeps, name: string, version: string, reason: string | undefined, actor?: string): Promise<StoredFile[]> {
  const pick = (file: StoredFile) => sameRelease(file.version, version);
  const { picked, changed } = await changeFiles(deps.store, name, `pypi release ${name} ${version}`, pick, (file) => {
    if (file.yanked === reason) return file;
    const { yanked: _yanked, ...rest } = file;
    return reason === undefined ? rest : { ...rest, yanked: reason };
  });
  if (changed) announce(deps, reason === undefined ? 'ArtifactUnyanked' : 'ArtifactYanked', name, picked[0]!.version, picked[0]!, actor);
  return picked;
}

/** Marks every file of `version` yanked with `reason` ("" for none); NOT_FOUND when there is none. Idempotent. */
export function yankRelease(deps: ReleaseDeps, name: string, version: string, reason = '', actor?: string): Promise<StoredFile[]> {
  return setYank(deps, name, version, reason, actor);
}

/** Clears the yank of every file of `version`; NOT_FOUND when there is none. Idempotent. */
export function unyankRelease(deps: ReleaseDeps, name: string, version: string, actor?: string): Promise<StoredFile[]> {
  return setYank(deps, name, version, undefined, actor);
}

/** Deletes every file of `version` (the project goes with its last file): one ArtifactDeleted naming the release. NOT_FOUND when there is none. */
export async function deleteRelease(deps: ReleaseDeps, name: string, version: string, actor?: string): Promise<StoredFile[]> {
  const { picked } = await changeFiles(deps.store, name, `pypi release ${name} ${version}`, (file) => sameRelease(file.version, version), () => undefined);
  announce(deps, 'ArtifactDeleted', name, picked[0]!.version, picked[0]!, actor);
  return picked;
}

/** Deletes one file by filename: one ArtifactDeleted naming the file. NOT_FOUND when the project has no such file. */
export async function deleteFile(deps: ReleaseDeps, name: string, filename: string, actor?: string): Promise<StoredFile[]> {
  const { picked } = await changeFiles(deps.store, name, `pypi file ${filename}`, (file) => file.filename === filename, () => undefined);
  announce(deps, 'ArtifactDeleted', name, filename, picked[0]!, actor);
  return picked;
}
