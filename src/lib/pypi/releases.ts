// Managing published releases (the management API and CLI call these): yank and unyank a
// release (PEP 592: pip skips yanked files unless pinned with ==), and delete a release or a
// single file. Deleting removes the files from the project document and publishes
// ArtifactDeleted; the blobs stay until garbage collection finds them unreferenced.
// https://peps.python.org/pep-0592/
import type { ObjectStore } from '../storage/object-store.js';
import type { EventBus } from '../events/bus.js';
import { CommonErrors } from '../errors/catalog.js';
import { normalizeName } from './names.js';
import { sameVersion } from './versions.js';
import { updateProject, type StoredFile } from './project-store.js';

export interface ReleaseDeps {
  store: ObjectStore;
  events: EventBus;
}

async function changeFiles(store: ObjectStore, name: string, what: string, pick: (file: StoredFile) => boolean,
  change: (files: StoredFile[]) => StoredFile[]): Promise<StoredFile[]> {
  let picked: StoredFile[] = [];
  await updateProject(store, normalizeName(name), (current) => {
    picked = current?.files.filter(pick) ?? [];
    if (!current || picked.length === 0) throw CommonErrors.NOT_FOUND(what);
    return { ...current, files: change(current.files) };
  });
  return picked;
}

/** Marks every file of `version` yanked with `reason` ("" for none); NOT_FOUND when there is none. Idempotent. */
export async function yankRelease(deps: ReleaseDeps, name: string, version: string, reason = ''): Promise<StoredFile[]> {
  const pick = (file: StoredFile) => sameVersion(file.version, version);
  return changeFiles(deps.store, name, `pypi release ${name} ${version}`, pick,
    (files) => files.map((file) => (pick(file) ? { ...file, yanked: reason } : file)));
}

/** Clears the yank of every file of `version`; NOT_FOUND when there is none. Idempotent. */
export async function unyankRelease(deps: ReleaseDeps, name: string, version: string): Promise<StoredFile[]> {
  const pick = (file: StoredFile) => sameVersion(file.version, version);
  return changeFiles(deps.store, name, `pypi release ${name} ${version}`, pick,
    (files) => files.map((file) => {
      if (!pick(file)) return file;
      const { yanked: _yanked, ...rest } = file;
      return rest;
    }));
}

async function removeFiles(deps: ReleaseDeps, name: string, what: string, pick: (file: StoredFile) => boolean, actor?: string): Promise<StoredFile[]> {
  const removed = await changeFiles(deps.store, name, what, pick, (files) => files.filter((file) => !pick(file)));
  for (const file of removed) {
    deps.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'pypi', name: normalizeName(name), reference: file.filename, digest: file.digest }, ...(actor ? { actor } : {}) });
  }
  return removed;
}

/** Deletes every file of `version` (the project goes when its last file does); NOT_FOUND when there is none. */
export async function deleteRelease(deps: ReleaseDeps, name: string, version: string, actor?: string): Promise<StoredFile[]> {
  return removeFiles(deps, name, `pypi release ${name} ${version}`, (file) => sameVersion(file.version, version), actor);
}

/** Deletes one file by filename; NOT_FOUND when the project has no such file. */
export async function deleteFile(deps: ReleaseDeps, name: string, filename: string, actor?: string): Promise<StoredFile[]> {
  return removeFiles(deps, name, `pypi file ${filename}`, (file) => file.filename === filename, actor);
}
