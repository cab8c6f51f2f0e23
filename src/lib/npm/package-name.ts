// npm package names as they arrive in URLs and bodies: "name" or "@scope/name", the scoped form
// also percent-encoded ("@scope%2fname"). Every name must be URL-safe, at most 214 characters,
// with no leading dot or underscore, which also keeps it a safe storage path (no traversal, no
// empty or dot segments); names npm allowed once (upper case, "~") stay readable. A package that
// does not exist yet must also pass npm's rules for new names (validate-npm-package-name):
// lower case, no leading "-", none of ~'!()* and not a Node.js core module.
import { builtinModules } from 'node:module';
import { NpmErrors } from './errors.js';

export interface PackageName {
  /** "@scope/name" or "name". */
  full: string;
  scope?: string;
  /** The part after the scope. */
  bare: string;
  /** URL form with the scope's slash encoded ("@scope%2fname"), as npm sends it. */
  escaped: string;
}

const PART = /^[A-Za-z0-9~-][A-Za-z0-9._~-]*$/;
const MAX_LENGTH = 214;

/** Validates a decoded name; throws NPM_INVALID_NAME saying why. */
export function parsePackageName(text: string): PackageName {
  const fail = (why: string) => NpmErrors.INVALID_NAME(text, why);
  if (text.length === 0) throw fail('empty');
  if (text.length > MAX_LENGTH) throw fail(`longer than ${MAX_LENGTH} characters`);
  if (text.trim() !== text) throw fail('leading or trailing spaces');
  let scope: string | undefined;
  let bare = text;
  if (text.startsWith('@')) {
    const parts = text.slice(1).split('/');
    if (parts.length !== 2) throw fail('a scoped name is "@scope/name"');
    [scope, bare] = parts as [string, string];
    checkPart(scope, 'scope', fail);
  } else if (text.includes('/')) {
    throw fail('only scoped names ("@scope/name") contain a slash');
  }
  checkPart(bare, 'name', fail);
  if (scope === undefined && ['node_modules', 'favicon.ico'].includes(bare.toLowerCase())) throw fail('reserved name');
  return scope === undefined
    ? { full: bare, bare, escaped: encodeURIComponent(bare) }
    : { full: `@${scope}/${bare}`, scope, bare, escaped: `@${scope}%2f${bare}` };
}

/** Throws NPM_INVALID_NAME unless a parsed name may also be given to a new package. */
export function checkNewPackageName(name: PackageName): void {
  const fail = (why: string) => NpmErrors.INVALID_NAME(name.full, `${why} (npm's rule for new packages)`);
  if (name.full !== name.full.toLowerCase()) throw fail('new package names must be lower case');
  if (name.full.startsWith('-')) throw fail('a name must not start with "-"');
  if (/[~'!()*]/.test(name.bare)) throw fail('a name must not contain any of ~\'!()*');
  if (builtinModules.includes(name.full)) throw fail('the name of a Node.js core module is reserved');
}

function checkPart(part: string, label: string, fail: (why: string) => Error): void {
  if (part.length === 0) throw fail(`empty ${label}`);
  if (part.startsWith('.') || part.startsWith('_')) throw fail(`${label} must not start with "." or "_"`);
  if (!PART.test(part)) throw fail(`${label} may only contain letters, digits and "-._~"`);
}

/** Decodes a URL name segment ("@scope%2fname", "name"); malformed escapes are invalid names. */
export function decodeNameSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw NpmErrors.INVALID_NAME(segment, 'malformed percent-encoding');
  }
}

/** Storage prefix of a package's documents: repos/npm/<name>/ (the scope is its own segment). */
export const packagePrefix = (name: PackageName): string => `repos/npm/${name.full}/`;

/** The canonical tarball file name of a version: "<bare>-<version>.tgz". */
export const tarballFileName = (name: PackageName, version: string): string => `${name.bare}-${version}.tgz`;

const FILE = /^[A-Za-z0-9~-][A-Za-z0-9._~+-]*\.tgz$/;

/** Validates a tarball file name taken from a URL; throws NPM_INVALID_FILENAME. */
export function checkTarballFileName(file: string): string {
  if (!FILE.test(file) || file.includes('..')) throw NpmErrors.INVALID_FILENAME(file);
  return file;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** True for a semver 2.0 version string (what npm publishes). */
export const isVersion = (text: string): boolean => text.length <= 256 && SEMVER.test(text);
