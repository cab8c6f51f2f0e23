// An sdist's core metadata, `<name>-<version>/PKG-INFO`, read from the staged blob to check
// it names the declared release: a .tar.gz streams through gunzip and tar (other entries are
// skipped, reading stops at PKG-INFO), a legacy .zip is read by ranged reads like a wheel. Work
// is linear and bounded: at most MAX_UNPACKED bytes are inflated, PKG-INFO at most MAX_METADATA.
// https://packaging.python.org/en/latest/specifications/source-distribution-format/
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import tar from 'tar-stream';
import type { StagedBlob } from '../blobs/blob-store.js';
import { assertMetadataMatches, type DeclaredRelease } from './core-metadata.js';
import { stagedReader } from './wheel-metadata.js';
import { listEntries, readEntry, ZipError } from './zip-reader.js';
import { PypiErrors } from './errors.js';

// node:zlib loads on first use, not at every start (issue 23).
const zlib = () => process.getBuiltinModule('node:zlib');

const MAX_METADATA = 16 * 1024 * 1024;
const MAX_UNPACKED = 512 * 1024 * 1024;
/** PKG-INFO in the single top-level directory (a leading "./" is tolerated). */
const PKG_INFO = /^(?:\.\/)?[^/]+\/PKG-INFO$/;

class SdistError extends Error {}

/** The PKG-INFO of a staged .tar.gz sdist; SdistError when absent, corrupt or too large. */
async function tarMetadata(sdist: StagedBlob): Promise<Buffer> {
  let unpacked = 0;
  const bound = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      unpacked += chunk.length;
      done(unpacked > MAX_UNPACKED ? new SdistError(`it unpacks to more than ${MAX_UNPACKED} bytes before a PKG-INFO`) : null, chunk);
    },
  });
  const extract = tar.extract();
  const feeding = pipeline((await sdist.open()).body, zlib().createGunzip(), bound, extract);
  let found: Buffer | undefined;
  try {
    for await (const entry of extract) {
      if (entry.header.type === 'file' && PKG_INFO.test(entry.header.name)) {
        if ((entry.header.size ?? 0) > MAX_METADATA) throw new SdistError(`its PKG-INFO is larger than ${MAX_METADATA} bytes`);
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        found = Buffer.concat(chunks);
        break;
      }
      entry.resume();
    }
  } catch (error) {
    throw error instanceof SdistError ? error : new SdistError(`it is not a readable .tar.gz (${(error as Error).message})`);
  } finally {
    extract.destroy();
    await feeding.catch(() => undefined);
  }
  if (!found) throw new SdistError('it has no top-level PKG-INFO');
  return found;
}

/** The PKG-INFO of a staged legacy .zip sdist. */
async function zipMetadata(sdist: StagedBlob): Promise<Buffer> {
  const read = stagedReader(sdist);
  try {
    const entry = (await listEntries(read, sdist.size)).find((e) => PKG_INFO.test(e.name));
    if (!entry) throw new SdistError('it has no top-level PKG-INFO');
    return await readEntry(read, entry, MAX_METADATA);
  } catch (error) {
    if (error instanceof ZipError) throw new SdistError(error.message);
    throw error;
  }
}

/** PYPI_BAD_SDIST when the staged sdist has no readable PKG-INFO; PYPI_METADATA_MISMATCH when it names another release. */
export async function checkSdistMetadata(sdist: StagedBlob, filename: string, declared: DeclaredRelease): Promise<void> {
  let data: Buffer;
  try {
    data = filename.toLowerCase().endsWith('.zip') ? await zipMetadata(sdist) : await tarMetadata(sdist);
  } catch (error) {
    if (error instanceof SdistError) throw PypiErrors.BAD_SDIST(filename, error.message);
    throw error;
  }
  assertMetadataMatches(data.toString('utf8'), declared, filename, 'PKG-INFO');
}
