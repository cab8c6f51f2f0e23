// The management operations behind /api/ (and so `nora images ls`, `nora tag`, `nora delete`):
// delete a tag, manifest or package version, tag an OCI manifest, through the format services
// (which publish the events). Deleting removes metadata only; the bytes go at the next gc.
import type { MutationContext } from '../formats/format-service.js';
import { formatRef, parseArtifactRef } from './artifact-ref.js';
import { OpsErrors } from './errors.js';
import type { FormatSet } from './formats.js';

/** Deletes what `text` names (only checks with dryRun); ARTIFACT_NOT_FOUND when absent. */
export async function deleteArtifact(formats: FormatSet, text: string, dryRun = false, context: MutationContext = {}): Promise<{ ref: string; dryRun: boolean }> {
  const ref = parseArtifactRef(text);
  const service = formats[ref.type];
  const reference = ref.type === 'oci' ? ref.reference : ref.version;
  const found = dryRun ? (await service.read(ref.name, reference)) !== undefined : await service.delete(ref.name, reference, context);
  if (!found) throw OpsErrors.ARTIFACT_NOT_FOUND(formatRef(ref));
  return { ref: formatRef(ref), dryRun };
}

/** Tags the manifest `srcText` names as `dstText` (both OCI); ARTIFACT_NOT_FOUND when absent. */
export async function tagArtifact(formats: FormatSet, srcText: string, dstText: string, context: MutationContext = {}): Promise<{ source: string; target: string; digest: string }> {
  const src = parseArtifactRef(srcText.startsWith('oci:') ? srcText : `oci:${srcText}`);
  const dst = parseArtifactRef(dstText.startsWith('oci:') ? dstText : `oci:${dstText}`);
  if (src.type !== 'oci' || dst.type !== 'oci' || dst.reference.includes(':')) throw OpsErrors.BAD_REFERENCE(dstText, 'tags apply to OCI images: SRC is <repository>:<tag> or <repository>@<digest>, DST is <repository>:<tag>');
  const tagged = await formats.oci.tag!({ name: src.name, reference: src.reference }, { name: dst.name, tag: dst.reference }, context);
  if (!tagged) throw OpsErrors.ARTIFACT_NOT_FOUND(formatRef(src));
  return { source: formatRef(src), target: formatRef(dst), digest: tagged.digest };
}

/** Yanks or unyanks what `text` names (cargo, pypi); ARTIFACT_NOT_FOUND when absent, BAD_REFERENCE for a format without yank. */
export async function yankArtifact(formats: FormatSet, text: string, yanked: boolean, context: MutationContext = {}): Promise<{ ref: string; yanked: boolean }> {
  const ref = parseArtifactRef(text);
  const service = formats[ref.type];
  if (ref.type === 'oci' || !service.yank) throw OpsErrors.BAD_REFERENCE(text, 'only cargo and pypi versions can be yanked');
  if (!(await service.yank(ref.name, ref.version, yanked, context))) throw OpsErrors.ARTIFACT_NOT_FOUND(formatRef(ref));
  return { ref: formatRef(ref), yanked };
}
