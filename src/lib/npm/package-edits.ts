// Pure edits of a local package document, each returning a new document (inputs untouched) so
// they can run inside a compare-and-swap retry loop. Rules: versions are immutable once published;
// a metadata update (deprecate, unpublish of versions) may only remove versions or change their
// `deprecated` text; dist-tags always point at existing versions; `latest` cannot be removed.
import { NpmErrors } from './errors.js';
import { quote } from '../errors/quote.js';
import { isVersion } from './package-name.js';
import { highestVersion, type Manifest, type Packument } from './packument.js';
import { nextRev, type PackageDocument } from './package-document.js';
import { DELETE } from '../storage/documents.js';
import type { PublishedVersion } from './publish-body.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const TOP_LEVEL_FROM_LATEST = ['description', 'keywords', 'license', 'homepage', 'repository', 'author', 'bugs', 'readme', 'readmeFilename'];

function touch(doc: PackageDocument, now: string): PackageDocument {
  return { ...doc, rev: nextRev(doc.rev), packument: { ...doc.packument, time: { ...doc.packument.time, modified: now } } };
}

/** Adds a verified version and its tarball; VERSION_EXISTS when the version is taken. */
export function addVersion(doc: PackageDocument, published: PublishedVersion, digest: string, now: string): PackageDocument {
  const { version, manifest } = published;
  if (doc.packument.versions[version]) throw NpmErrors.VERSION_EXISTS(doc.packument.name, version);
  const next = touch(doc, now);
  const tags = { ...doc.packument['dist-tags'], ...published.distTags };
  if (!tags.latest) tags.latest = version;
  const packument: Packument = { ...next.packument, versions: { ...doc.packument.versions, [version]: manifest }, 'dist-tags': tags, time: { ...next.packument.time, [version]: now } };
  if (tags.latest === version) for (const key of TOP_LEVEL_FROM_LATEST) if (manifest[key] !== undefined) packument[key] = manifest[key];
  return { ...next, packument, files: { ...doc.files, [published.file]: { digest, size: published.size, version } } };
}

export interface UpdateResult {
  doc: PackageDocument;
  removed: string[];
  /** Versions whose deprecation message was set or changed, with the new message. */
  deprecated: Array<{ version: string; message: string }>;
  /** Versions that were deprecated and no longer are. */
  undeprecated: string[];
}

/**
 * Applies a client's edited packument (PUT /<name> without attachments, or PUT /<name>/-rev/<rev>):
 * versions it omits are unpublished, `deprecated` texts are taken as given ("" or absent clears),
 * dist-tags are replaced. Anything else a client changed in a version is ignored.
 */
export function applyUpdate(doc: PackageDocument, body: Record<string, unknown>, now: string): UpdateResult {
  if (!isObject(body.versions)) throw NpmErrors.BAD_PUBLISH('"versions" must be an object');
  const given = body.versions;
  const unknown = Object.keys(given).filter((v) => !doc.packument.versions[v]);
  if (unknown.length > 0) throw NpmErrors.BAD_PUBLISH(`cannot add versions without a tarball: ${unknown.join(', ')}`);
  const versions: Record<string, Manifest> = {};
  const deprecations: UpdateResult['deprecated'] = [];
  const undeprecated: string[] = [];
  for (const [version, manifest] of Object.entries(doc.packument.versions)) {
    if (!(version in given)) continue;
    const edited = given[version];
    const deprecated = isObject(edited) && typeof edited.deprecated === 'string' ? edited.deprecated : '';
    const { deprecated: old, ...kept } = manifest;
    versions[version] = (deprecated ? { ...kept, deprecated } : kept);
    if (deprecated && deprecated !== old) deprecations.push({ version, message: deprecated });
    else if (!deprecated && old) undeprecated.push(version);
  }
  const removed = Object.keys(doc.packument.versions).filter((v) => !(v in versions));
  if (Object.keys(versions).length === 0) throw NpmErrors.BAD_PUBLISH('an update cannot remove every version; unpublish the package instead');
  const tags: Record<string, string> = {};
  const bodyTags = isObject(body['dist-tags']) ? body['dist-tags'] : doc.packument['dist-tags'];
  for (const [tag, target] of Object.entries(bodyTags)) if (typeof target === 'string' && versions[target]) tags[tag] = target;
  if (!tags.latest) tags.latest = highestVersion(Object.keys(versions)) ?? highestVersion(Object.keys(versions), true)!;
  const next = touch(doc, now);
  const time = { ...next.packument.time };
  for (const version of removed) delete time[version];
  const files = Object.fromEntries(Object.entries(doc.files).filter(([, f]) => versions[f.version]));
  return { doc: { ...next, packument: { ...next.packument, versions, time, 'dist-tags': tags }, files }, removed, deprecated: deprecations, undeprecated };
}

const TAG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function setTag(doc: PackageDocument, tag: string, version: unknown, now: string): PackageDocument {
  if (!TAG.test(tag) || isVersion(tag)) throw NpmErrors.BAD_TAG(`${quote(tag)} is not a valid tag name (and must not look like a version)`);
  if (typeof version !== 'string' || !doc.packument.versions[version]) throw NpmErrors.BAD_TAG(`${doc.packument.name} has no version ${quote(version)}`);
  const next = touch(doc, now);
  return { ...next, packument: { ...next.packument, 'dist-tags': { ...doc.packument['dist-tags'], [tag]: version } } };
}

export function removeTag(doc: PackageDocument, tag: string, now: string): PackageDocument {
  if (tag === 'latest') throw NpmErrors.BAD_TAG('the "latest" tag cannot be removed');
  if (!(tag in doc.packument['dist-tags'])) throw NpmErrors.BAD_TAG(`${doc.packument.name} has no dist-tag ${quote(tag)}`);
  const next = touch(doc, now);
  const { [tag]: _gone, ...tags } = doc.packument['dist-tags'];
  return { ...next, packument: { ...next.packument, 'dist-tags': tags } };
}

/** Forgets a tarball whose version was already unpublished; a live version's tarball stays. */
export function removeTarball(doc: PackageDocument, file: string): PackageDocument | undefined {
  const entry = doc.files[file];
  if (!entry) return undefined;
  if (doc.packument.versions[entry.version]) throw NpmErrors.BAD_PUBLISH(`${file} belongs to the published version ${entry.version}; unpublish the version first`);
  const { [file]: _gone, ...files } = doc.files;
  return { ...doc, rev: nextRev(doc.rev), files };
}

export function checkRev(doc: PackageDocument, rev: string | undefined): void {
  if (rev !== undefined && rev !== doc.rev) throw NpmErrors.REV_MISMATCH(doc.packument.name, rev, doc.rev);
}

/** The document without `version` (DELETE with its last): applyUpdate's rules, so tags follow. */
export function withoutVersion(doc: PackageDocument, version: string, now: string): PackageDocument | typeof DELETE {
  const rest = Object.keys(doc.packument.versions).filter((v) => v !== version);
  if (rest.length === 0) return DELETE;
  return applyUpdate(doc, { versions: Object.fromEntries(rest.map((v) => [v, doc.packument.versions[v]])), 'dist-tags': doc.packument['dist-tags'] }, now).doc;
}
