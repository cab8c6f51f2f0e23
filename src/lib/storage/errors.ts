// Typed failures of the storage port. Adapters translate their backend's errors into these;
// nothing above storage/ looks at an ENOENT or an S3 error name. Messages name keys and paths
// for the operator's log; the HTTP layer never sends them to a client (server/core/error-handler).
import { NoraError } from '../errors/nora-error.js';

export class StorageError extends NoraError {}

export const NotFound = (key: string) => new StorageError('NOT_FOUND', 404, `no object at ${key}`, { key });
export const InvalidPath = (key: string, why: string) => new StorageError('INVALID_PATH', 400, `invalid storage key ${JSON.stringify(key)}: ${why}`, { key });
export const PreconditionFailed = (key: string) => new StorageError('PRECONDITION_FAILED', 412, `${key} changed since it was read`, { key });
export const RangeNotSatisfiable = (key: string, size: number) => new StorageError('RANGE_NOT_SATISFIABLE', 416, `requested range is outside ${key} (${size} bytes)`, { key, size });
export const StorageUnavailable = (reason: string, cause?: unknown) => new StorageError('STORAGE_UNAVAILABLE', 503, `storage unavailable: ${reason}`, { reason }, { cause });
/** The backend refused to store more: no space left, a quota reached. Nothing partial is left. */
export const StorageFull = (reason: string, cause?: unknown) => new StorageError('STORAGE_FULL', 507, `storage full: ${reason}`, { reason }, { cause });

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
