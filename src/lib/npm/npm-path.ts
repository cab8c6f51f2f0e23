// What a path under /npm/ addresses, from the still-encoded URL path after the prefix. Scoped
// names arrive as one segment ("@scope%2fname") or two ("@scope/name"); both mean the same package.
// Layout (npm registry API): <name>, <name>/<version|tag>, <name>/-/<file>.tgz, <name>/-rev/<rev>,
// <name>/-/<file>.tgz/-rev/<rev>; under /-/package/: <name>/dist-tags[/<tag>].
import { NpmErrors } from './errors.js';
import { checkTarballFileName, decodeNameSegment, parsePackageName, type PackageName } from './package-name.js';

export type NpmTarget =
  | { kind: 'packument'; name: PackageName }
  | { kind: 'version'; name: PackageName; spec: string }
  | { kind: 'tarball'; name: PackageName; file: string }
  | { kind: 'rev'; name: PackageName; rev: string }
  | { kind: 'tarball-rev'; name: PackageName; file: string; rev: string };

/** Splits a package name off the front of an encoded path; the rest comes back decoded. */
export function splitName(encodedPath: string): { name: PackageName; rest: string[] } {
  const segments = encodedPath.replace(/^\/+/, '').split('/');
  const first = decodeNameSegment(segments[0] ?? '');
  let full = first;
  let restStart = 1;
  if (first.startsWith('@') && !first.includes('/')) {
    full = `${first}/${decodeNameSegment(segments[1] ?? '')}`;
    restStart = 2;
  }
  const name = parsePackageName(full);
  return { name, rest: segments.slice(restStart).map(decodeNameSegment) };
}

const REV = /^[0-9]+-[0-9a-f]{1,64}$/;

function checkRev(rev: string | undefined): string {
  if (!rev || !REV.test(rev)) throw NpmErrors.BAD_PUBLISH(`malformed revision ${JSON.stringify(rev ?? '')}`);
  return rev;
}

/** Parses a package path; INVALID_NAME / INVALID_FILENAME / NOT_FOUND-shaped errors for anything else. */
export function parseNpmPath(encodedPath: string): NpmTarget {
  const { name, rest } = splitName(encodedPath);
  if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) return { kind: 'packument', name };
  if (rest[0] === '-rev' && rest.length === 2) return { kind: 'rev', name, rev: checkRev(rest[1]) };
  if (rest[0] === '-') {
    let fileParts = rest.slice(1);
    // npm's own tarball URLs repeat the scope: @scope/name/-/@scope/name-1.0.0.tgz
    if (name.scope && fileParts[0] === `@${name.scope}`) fileParts = fileParts.slice(1);
    const file = checkTarballFileName(fileParts[0] ?? '');
    if (fileParts.length === 1) return { kind: 'tarball', name, file };
    if (fileParts.length === 3 && fileParts[1] === '-rev') return { kind: 'tarball-rev', name, file, rev: checkRev(fileParts[2]) };
    throw NpmErrors.INVALID_FILENAME(fileParts.join('/'));
  }
  if (rest.length === 1 && rest[0]!.length <= 256 && /^[A-Za-z0-9._+~-]+$/.test(rest[0]!)) return { kind: 'version', name, spec: rest[0]! };
  throw NpmErrors.VERSION_NOT_FOUND(name.full, rest.join('/'));
}

/** Parses "<name>/dist-tags" or "<name>/dist-tags/<tag>" (the path after /-/package/). */
export function parseDistTagPath(encodedPath: string): { name: PackageName; tag?: string } {
  const { name, rest } = splitName(encodedPath);
  if (rest[0] !== 'dist-tags' || rest.length > 2) throw NpmErrors.BAD_TAG(`unknown path ${JSON.stringify(rest.join('/'))}`);
  if (rest.length === 1 || rest[1] === '') return { name };
  return { name, tag: rest[1]! };
}
