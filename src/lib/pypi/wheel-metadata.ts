// PEP 658: a wheel's `{name}-{version}.dist-info/METADATA`, read out of the staged wheel blob
// with ranged reads (the central directory and one entry, never the whole wheel) and staged as
// its own blob, so pip can resolve dependencies without downloading wheels.
// https://peps.python.org/pep-0658/
import { Readable } from 'node:stream';
import type { BlobStore, StagedBlob } from '../blobs/blob-store.js';
import { collect } from '../storage/body.js';
import { normalizeName } from './names.js';
import { listEntries, readEntry, ZipError, type RangeReader } from './zip-reader.js';
import { assertMetadataMatches, metadataHeader, type DeclaredRelease } from './core-metadata.js';
import { PypiErrors } from './errors.js';

const MAX_METADATA = 16 * 1024 * 1024;
const DIST_INFO_METADATA = /^([^/]+)\.dist-info\/METADATA$/;

export interface ExtractedMetadata {
  /** The METADATA file, staged: committed with the wheel, or discarded with it. */
  blob: StagedBlob;
  /** The Requires-Python header, when the metadata has one. */
  requiresPython?: string;
}

/** Ranged reads of a staged blob, for the zip reader. */
export function stagedReader(staged: StagedBlob): RangeReader {
  return async (start, end) => (end <= start ? Buffer.alloc(0) : collect((await staged.open({ start, end: end - 1 })).body));
}

/**
 * Extracts and stages the METADATA of a staged wheel; PYPI_BAD_WHEEL when unreadable,
 * PYPI_METADATA_MISMATCH (nothing staged) when it names another release than `declared`.
 */
export async function extractWheelMetadata(blobs: BlobStore, wheel: StagedBlob, filename: string, declared: DeclaredRelease): Promise<ExtractedMetadata> {
  const read = stagedReader(wheel);
  let data: Buffer;
  try {
    const candidates = (await listEntries(read, wheel.size)).filter((entry) => DIST_INFO_METADATA.test(entry.name));
    const own = candidates.filter((entry) => normalizeName(DIST_INFO_METADATA.exec(entry.name)![1]!.split('-')[0]!) === normalizeName(declared.name));
    const entry = own.length === 1 ? own[0] : candidates.length === 1 ? candidates[0] : undefined;
    if (!entry) throw new ZipError(candidates.length === 0 ? 'no .dist-info/METADATA file' : 'several .dist-info/METADATA files');
    data = await readEntry(read, entry, MAX_METADATA);
  } catch (error) {
    if (error instanceof ZipError) throw PypiErrors.BAD_WHEEL(filename, error.message);
    throw error;
  }
  const text = data.toString('utf8');
  assertMetadataMatches(text, declared, filename, 'METADATA');
  const blob = await blobs.stage(Readable.from([data]), { label: 'wheel metadata' });
  const requiresPython = metadataHeader(text, 'Requires-Python');
  return { blob, ...(requiresPython ? { requiresPython } : {}) };
}
