// Typed failures of the storage port. Adapters translate their backend's errors into these;
// nothing above storage/ looks at an ENOENT or an S3 error name.
import { NoraError } from '../errors/nora-error.js';

export class StorageError extends NoraError {}

export const NotFound = (key: string) => new StorageError('NOT_FOUND', 404, `no object at ${key}`, { key });
export const InvalidPath = (key: string, why: string) => new StorageError('INVALID_PATH', 400, `invalid storage key ${JSON.stringify(key)}: ${why}`, { key });
export const PreconditionFailed = (key: string) => new StorageError('PRECONDITION_FAILED', 412, `${key} changed since it was read`, { key });
export const RangeNotSatisfiable = (key: string, size: number) => new StorageError('RANGE_NOT_SATISFIABLE', 416, `requested range is outside ${key} (${size} bytes)`, { key, size });
export const StorageUnavailable = (reason: string, cause?: unknown) => new StorageError('STORAGE_UNAVAILABLE', 503, `storage unavailable: ${reason}`, { reason }, { cause });

export const isStorageError = (error: unknown, code: string): boolean => error instanceof StorageError && error.code === code;
