// Typed failures of the storage port. Adapters translate their backend's errors into these;
// nothing above storage/ looks at an ENOENT or an S3 error name. Messages name keys and paths
// for the operator's log; the HTTP layer never sends them to a client (server/core/error-handler).
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
  STORAGE_FULL: define('STORAGE_FULL', 507, 'The store is full (no space left, or a quota reached); nothing was stored.'),
  STORE_NOT_FOUND: define('STORE_NOT_FOUND', 404, 'An operator command found no NORA store where the configuration points (only serve and restore create one).'),
  STORE_LAYOUT_UNSUPPORTED: define('STORE_LAYOUT_UNSUPPORTED', 409, 'The store\'s format marker names a layout this NORA cannot read or upgrade, or is not a NORA marker.'),
  STORE_UNUSABLE: define('STORE_UNUSABLE', 503, 'The data directory or bucket cannot be created or written, so the server does not start.'),
  CONDITIONAL_WRITES_UNSUPPORTED: define('CONDITIONAL_WRITES_UNSUPPORTED', 503, 'The store ignores conditional writes (If-None-Match / If-Match), so the server refused to start on it.'),
};

export const NotFound = (key: string) => StorageErrors.NOT_FOUND.error(`no object at ${key}`, { key });
export const InvalidPath = (key: string, why: string) => StorageErrors.INVALID_PATH.error(`invalid storage key ${JSON.stringify(key)}: ${why}`, { key });
export const PreconditionFailed = (key: string) => StorageErrors.PRECONDITION_FAILED.error(`${key} changed since it was read`, { key });
export const RangeNotSatisfiable = (key: string, size: number) => StorageErrors.RANGE_NOT_SATISFIABLE.error(`requested range is outside ${key} (${size} bytes)`, { key, size });
export const StorageUnavailable = (reason: string, cause?: unknown) => StorageErrors.STORAGE_UNAVAILABLE.error(`storage unavailable: ${reason}`, { reason }, { cause });
/** The store cannot be created or written at `location`; `reason` says what the backend answered. */
export const StoreUnusable = (location: string, reason: string, cause?: unknown) => StorageErrors.STORE_UNUSABLE.error(`cannot use ${location} as the store: ${reason}`, { location, reason }, { cause });
/** The backend refused to store more: no space left, a quota reached. Nothing partial is left. */
export const StorageFull = (reason: string, cause?: unknown) => StorageErrors.STORAGE_FULL.error(`storage full: ${reason}`, { reason }, { cause });
/** `truncate` asked to keep more bytes than the object holds: a caller's bug (it keeps only recorded bytes), not bad input. */
export const TruncateBeyondEnd = (key: string, held: number, size: number) => new Error(`${key} holds ${held} bytes, fewer than the ${size} to keep`);

/** Errno codes meaning the filesystem has no room for the write: space, quota, file size limit. */
const FULL_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
/** Errno codes meaning the filesystem cannot take writes at all now. */
const UNAVAILABLE_ERRNOS = new Set(['EROFS', 'EIO', 'EACCES', 'EPERM']);

/**
 * The typed error for a filesystem failure of `operation` on `key`, or `error` itself when it
 * is none of them (ENOENT and friends are the adapter's to interpret).
 */
export function translateFsError(error: unknown, operation: string, key: string): unknown {
  if (error instanceof StorageError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return error;
  if (FULL_ERRNOS.has(code)) return StorageFull(`${code} during ${operation} of ${key}: ${(error as Error).message}`, error);
  if (UNAVAILABLE_ERRNOS.has(code)) return StorageUnavailable(`${code} during ${operation} of ${key}: ${(error as Error).message}`, error);
  return error;
}

export const isStorageError = (error: unknown, code: string): boolean => error instanceof StorageError && error.code === code;
