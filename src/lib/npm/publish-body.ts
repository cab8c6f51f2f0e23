// Validates the body of `npm publish` (PUT /<name>): one version manifest and one attachment,
// whose bytes publish-stream.ts has already staged as a blob (the body's `data` is then "").
// Checks names, version, declared length, and the stored bytes against the declared sha512
// integrity and sha1 shasum. Pure: the caller discards the staged blob when this throws.
import { NpmErrors } from './errors.js';
import { formatIntegrity, parseIntegrity, parseShasum } from './integrity.js';
import { isVersion, tarballFileName, type PackageName } from './package-name.js';
import type { Manifest } from './packument.js';

export interface PublishedVersion {
  version: string;
  manifest: Manifest;
  distTags: Record<string, string>;
  file: string;
  size: number;
  /** The tarball blob's digest ("sha512:<hex>"). */
  digest: string;
}

/** What the stored attachment hashed to. */
export interface StoredTarball {
  digest: string;
  size: number;
  hashes: { sha512?: string; sha1?: string };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when a PUT /<name> body carries tarballs (a publish) rather than a metadata update. */
export const isPublishBody = (body: unknown): boolean => isObject(body) && isObject(body._attachments) && Object.keys(body._attachments).length > 0;

export function checkBodyName(name: PackageName, body: Record<string, unknown>): void {
  const named = body.name ?? body._id;
  if (named !== undefined && named !== name.full) throw NpmErrors.NAME_MISMATCH(name.full, typeof named === 'string' ? named : JSON.stringify(named));
}

export function parsePublishBody(name: PackageName, body: unknown, stored: StoredTarball | undefined): PublishedVersion {
  if (!isObject(body)) throw NpmErrors.BAD_PUBLISH('expected a JSON object');
  checkBodyName(name, body);
  if (!isObject(body.versions)) throw NpmErrors.BAD_PUBLISH('"versions" must be an object');
  const versions = Object.entries(body.versions);
  if (versions.length !== 1) throw NpmErrors.BAD_PUBLISH(`exactly one version per publish, got ${versions.length}`);
  const [version, rawManifest] = versions[0]!;
  if (!isVersion(version)) throw NpmErrors.BAD_PUBLISH(`${JSON.stringify(version)} is not a semver version`);
  if (!isObject(rawManifest)) throw NpmErrors.BAD_PUBLISH(`versions[${version}] must be an object`);
  if (rawManifest.name !== name.full) throw NpmErrors.NAME_MISMATCH(name.full, String(rawManifest.name));
  if (rawManifest.version !== version) throw NpmErrors.BAD_PUBLISH(`versions[${version}].version is ${JSON.stringify(rawManifest.version)}`);
  const dist = isObject(rawManifest.dist) ? rawManifest.dist : {};

  if (!isObject(body._attachments)) throw NpmErrors.BAD_PUBLISH('"_attachments" must be an object');
  const attachments = Object.entries(body._attachments);
  if (attachments.length !== 1) throw NpmErrors.BAD_PUBLISH(`exactly one attachment per publish, got ${attachments.length}`);
  const [, attachment] = attachments[0]!;
  if (!isObject(attachment) || typeof attachment.data !== 'string' || !stored) throw NpmErrors.BAD_PUBLISH('attachment has no base64 "data"');
  if (stored.size === 0) throw NpmErrors.BAD_PUBLISH('attachment is empty');
  if (attachment.length !== undefined && attachment.length !== stored.size) {
    throw NpmErrors.BAD_PUBLISH(`attachment declares length ${JSON.stringify(attachment.length)} but decodes to ${stored.size} bytes`);
  }

  const sha512 = stored.hashes.sha512!;
  const sha1 = stored.hashes.sha1!;
  const declaredIntegrity = parseIntegrity(dist.integrity);
  const declaredShasum = parseShasum(dist.shasum);
  if (dist.integrity !== undefined && !declaredIntegrity) throw NpmErrors.BAD_PUBLISH(`dist.integrity ${JSON.stringify(dist.integrity)} has no sha512 entry`);
  if (dist.shasum !== undefined && !declaredShasum) throw NpmErrors.BAD_PUBLISH(`dist.shasum ${JSON.stringify(dist.shasum)} is not a sha1 hex digest`);
  if (!declaredIntegrity && !declaredShasum) throw NpmErrors.BAD_PUBLISH('dist declares neither integrity nor shasum');
  if (declaredIntegrity && declaredIntegrity.hex !== sha512) {
    throw NpmErrors.INTEGRITY_MISMATCH('integrity', String(dist.integrity), formatIntegrity(sha512));
  }
  if (declaredShasum && declaredShasum !== sha1) throw NpmErrors.INTEGRITY_MISMATCH('shasum', declaredShasum, sha1);

  const distTags: Record<string, string> = {};
  if (body['dist-tags'] !== undefined) {
    if (!isObject(body['dist-tags'])) throw NpmErrors.BAD_PUBLISH('"dist-tags" must be an object');
    for (const [tag, target] of Object.entries(body['dist-tags'])) {
      if (target !== version) throw NpmErrors.BAD_PUBLISH(`dist-tag ${tag} points at ${String(target)}, not the published ${version}`);
      distTags[tag] = version;
    }
  }
  const file = tarballFileName(name, version);
  const scripts = isObject(rawManifest.scripts) ? rawManifest.scripts : {};
  const hasInstallScript = ['preinstall', 'install', 'postinstall'].some((s) => scripts[s] !== undefined);
  const manifest = {
    ...rawManifest,
    _id: `${name.full}@${version}`,
    ...(hasInstallScript ? { hasInstallScript: true } : {}),
    dist: { ...dist, tarball: file, integrity: formatIntegrity(sha512), shasum: sha1 },
  } as unknown as Manifest;
  return { version, manifest, distTags, file, size: stored.size, digest: stored.digest };
}
