// The management operations behind /api/ (and so `nora images ls`, `nora tag`, `nora delete`):
// list artifacts of every format, tag an OCI manifest, delete a tag, manifest or package version.
// Deleting removes metadata only; the bytes go at the next garbage collection.
import type { ObjectStore } from '../storage/object-store.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { deleteManifest, resolveManifest, tagManifest } from '../oci/retag.js';
import { deleteVersion as deleteNpm } from '../npm/gc-references.js';
import { deleteVersion as deleteMaven } from '../maven/gc-references.js';
import { deleteVersion as deleteCargo } from '../cargo/gc-references.js';
import { deleteVersion as deletePypi } from '../pypi/gc-references.js';
import { formatRef, parseArtifactRef, type ArtifactRef } from './artifact-ref.js';
import { OpsErrors } from './errors.js';
import { listArtifacts } from './formats.js';

const DELETERS = { npm: deleteNpm, maven: deleteMaven, cargo: deleteCargo, pypi: deletePypi };

async function exists(store: ObjectStore, ref: ArtifactRef): Promise<boolean> {
  if (ref.type === 'oci') return (await resolveManifest(store, ref.name, ref.reference)) !== undefined;
  for await (const item of listArtifacts(store, [ref.type])) if (item.name === ref.name && item.version === ref.version) return true;
  return false;
}

/** Deletes what `text` names (only checks with dryRun); ARTIFACT_NOT_FOUND when absent. */
export async function deleteArtifact(store: ObjectStore, text: string, dryRun = false): Promise<{ ref: string; dryRun: boolean }> {
  const ref = parseArtifactRef(text);
  const found = dryRun || ref.type === 'oci' ? await exists(store, ref) : await DELETERS[ref.type](store, ref.name, ref.version);
  if (found && !dryRun && ref.type === 'oci') await deleteManifest(store, ref.name, ref.reference);
  if (!found) throw OpsErrors.ARTIFACT_NOT_FOUND(formatRef(ref));
  return { ref: formatRef(ref), dryRun };
}

/** Tags the manifest `srcText` names as `dstText` (both OCI); ARTIFACT_NOT_FOUND when absent. */
export async function tagArtifact(store: ObjectStore, blobs: BlobStore, srcText: string, dstText: string): Promise<{ source: string; target: string; digest: string }> {
  const src = parseArtifactRef(srcText.startsWith('oci:') ? srcText : `oci:${srcText}`);
  const dst = parseArtifactRef(dstText.startsWith('oci:') ? dstText : `oci:${dstText}`);
  if (src.type !== 'oci' || dst.type !== 'oci' || dst.reference.includes(':')) throw OpsErrors.BAD_REFERENCE(dstText, 'tags apply to OCI images: SRC is <repository>:<tag> or <repository>@<digest>, DST is <repository>:<tag>');
  const digest = await tagManifest(store, blobs, { name: src.name, reference: src.reference }, { name: dst.name, tag: dst.reference });
  if (!digest) throw OpsErrors.ARTIFACT_NOT_FOUND(formatRef(src));
  return { source: formatRef(src), target: formatRef(dst), digest };
}
