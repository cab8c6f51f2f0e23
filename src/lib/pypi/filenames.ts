// Distribution filenames: wheels ({name}-{version}(-{build})?-{python}-{abi}-{platform}.whl)
// and sdists ({name}-{version}.tar.gz, legacy .zip). Upload checks that a file belongs to the
// project and version it is uploaded as; the simple pages and the files route only ever see
// names that passed here, so they are safe in URLs and HTML.
// https://packaging.python.org/en/latest/specifications/binary-distribution-format/#file-name-convention
// https://packaging.python.org/en/latest/specifications/source-distribution-format/#source-distribution-file-name
import { normalizeName } from './names.js';
import { canonicalVersion } from './versions.js';

export type DistKind = 'wheel' | 'sdist';

export interface DistFilename {
  kind: DistKind;
  /** Name part as written in the filename (wheels escape "-" as "_"). */
  name: string;
  version: string;
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._+!-]*$/;
const MAX_FILENAME = 255;
const SDIST_EXTENSIONS = ['.tar.gz', '.zip'];
const WHEEL = /^(?<name>[^-]+)-(?<version>[^-]+)(?:-(?<build>[0-9][^-]*))?-(?<py>[^-]+)-(?<abi>[^-]+)-(?<plat>[^-]+)\.whl$/;

/** True for a filename that is safe to use in URLs, HTML and documents (no path, no markup). */
export function isSafeFilename(filename: string): boolean {
  return filename.length <= MAX_FILENAME && SAFE.test(filename) && !filename.includes('..');
}

/**
 * Parses a wheel or sdist filename; `projectName` disambiguates sdists whose name contains "-".
 * Undefined when the filename is unsafe, of another kind, or its version is not PEP 440.
 */
export function parseDistFilename(filename: string, projectName?: string): DistFilename | undefined {
  if (!isSafeFilename(filename)) return undefined;
  if (filename.endsWith('.whl')) {
    const g = WHEEL.exec(filename)?.groups;
    if (!g || canonicalVersion(g.version!) === undefined) return undefined;
    return { kind: 'wheel', name: g.name!, version: g.version! };
  }
  const extension = SDIST_EXTENSIONS.find((ext) => filename.toLowerCase().endsWith(ext));
  if (!extension) return undefined;
  const stem = filename.slice(0, -extension.length);
  const wanted = projectName === undefined ? undefined : normalizeName(projectName);
  // Try every "-" from the right: the version never contains one, names may.
  for (let i = stem.lastIndexOf('-'); i > 0; i = stem.lastIndexOf('-', i - 1)) {
    const name = stem.slice(0, i);
    const version = stem.slice(i + 1);
    if (canonicalVersion(version) === undefined) continue;
    if (wanted !== undefined && normalizeName(name) !== wanted) continue;
    return { kind: 'sdist', name, version };
  }
  return undefined;
}
