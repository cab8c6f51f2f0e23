// Typed failures of the storage port. Adapters translate their backend's errors into these;
// nothing above storage/ looks at an ENOENT or an S3 error name.
import { NoraError } from '../errors/nora-error.js';
import { registerError } from '../errors/registry.js';

export class StorageError extends NoraError {}

/** A storage failure code, registered like every catalog entry (src/lib/errors/registry.ts). */
function define(code: string, status: number, summary: string) {
  registerError({ code, status, summary });
  const error = (message: string, detail: Record<string, unknown>, options?: { cause?: unknown }) => new StorageError(code, status, message, detail, options);
  return { code, status, summary, error };
}

export const StorageErrors = {
  NOT_FOUND: define('NOT_FOUND', 404, 'Nothing is stored under that name.'),
  INVALID_PATH: define('INVALID_PATH', 400, 'A path or name is malformed or tries to leave its namespace.'),
  PRECONDITION_FAILED: define('PRECONDITION_FAILED', 412, 'A conditional write lost to a concurrent one (callers re-read and retry).'),
  RANGE_NOT_SATISFIABLE: define('RANGE_NOT_SATISFIABLE', 416, 'A requested byte range lies outside the object.'),
  STORAGE_UNAVAILABLE: define('STORAGE_UNAVAILABLE', 503, 'The storage backend cannot be reached.'),
};

export const NotFound = (key: string) => StorageErrors.NOT_FOUND.error(`no object at ${key}`, { key });
export const InvalidPath = (key: string, why: string) => StorageErrors.INVALID_PATH.error(`invalid storage key ${JSON.stringify(key)}: ${why}`, { key });
export const PreconditionFailed = (key: string) => StorageErrors.PRECONDITION_FAILED.error(`${key} changed since it was read`, { key });
export const RangeNotSatisfiable = (key: string, size: number) => StorageErrors.RANGE_NOT_SATISFIABLE.error(`requested range is outside ${key} (${size} bytes)`, { key, size });
export const StorageUnavailable = (reason: string, cause?: unknown) => StorageErrors.STORAGE_UNAVAILABLE.error(`storage unavailable: ${reason}`, { reason }, { cause });

export const isStorageError = (error: unknown, code: string): boolean => error instanceof StorageError && error.code === code;
