// Core metadata (a wheel's .dist-info/METADATA, an sdist's PKG-INFO): its RFC 822-style headers,
// and the rule that it names the project and version the upload form declares. pip installs
// what the metadata says, so a file whose metadata names another project must not be served
// under this one. https://packaging.python.org/en/latest/specifications/core-metadata/
import { normalizeName } from './names.js';
import { sameRelease } from './versions.js';
import { PypiErrors } from './errors.js';

/** A header of an RFC 822-style metadata file (first occurrence), or undefined. */
export function metadataHeader(text: string, header: string): string | undefined {
  const wanted = header.toLowerCase();
  for (const line of text.split(/\r?\n/)) {
    if (line === '') return undefined;
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** What the upload form declares (names compared after PEP 503 normalisation, versions as PEP 440 releases: 1.0 is 1.0.0). */
export interface DeclaredRelease {
  name: string;
  version: string;
}

/** PYPI_METADATA_MISMATCH when `text` (the file's `where`, e.g. "METADATA") names another project or version. */
export function assertMetadataMatches(text: string, declared: DeclaredRelease, filename: string, where: string): void {
  const name = metadataHeader(text, 'Name');
  const version = metadataHeader(text, 'Version');
  const sameName = name !== undefined && normalizeName(name) === normalizeName(declared.name);
  const sameVersion = version !== undefined && sameRelease(version, declared.version);
  if (!sameName || !sameVersion) throw PypiErrors.METADATA_MISMATCH(filename, where, { name, version }, declared);
}
