// The stored document of a locally published package, repos/npm/<name>/package.json: its
// packument (tarballs as bare file names), the blob behind every tarball file, and a CouchDB-style
// revision (`_rev`) that the CLI's unpublish/deprecate flows echo back. Updated by compare-and-swap.
import { randomBytes } from 'node:crypto';
import type { Packument } from './packument.js';
import { packagePrefix, type PackageName } from './package-name.js';

export interface TarballFile {
  /** Blob digest ("sha512:<hex>"); the tarball's integrity is the same hash. */
  digest: string;
  size: number;
  version: string;
}

export interface PackageDocument {
  rev: string;
  packument: Packument;
  files: Record<string, TarballFile>;
}

export const documentKey = (name: PackageName): string => `${packagePrefix(name)}package.json`;

/** The revision after `rev`: "<n+1>-<random hex>". */
export function nextRev(rev: string | undefined): string {
  const n = rev ? Number(rev.split('-', 1)[0]) || 0 : 0;
  return `${n + 1}-${randomBytes(8).toString('hex')}`;
}

export function emptyDocument(name: PackageName, now: string): PackageDocument {
  return {
    rev: '0-0',
    packument: { name: name.full, 'dist-tags': {}, versions: {}, time: { created: now, modified: now } },
    files: {},
  };
}
