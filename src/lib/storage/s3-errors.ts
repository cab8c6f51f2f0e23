// Maps errors of the AWS SDK (S3 error responses, network failures) to the storage port's typed
// errors, so nothing above the S3 adapter ever looks at an S3 error name or an errno.
import { NotFound, PreconditionFailed, RangeNotSatisfiable, StorageError, StorageFull, StorageUnavailable } from './errors.js';

/** Errno codes and S3 error names meaning the backend cannot serve now: network, overload, setup. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const UNAVAILABLE_NAMES = new Set([
  'NoSuchBucket', 'AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'CredentialsProviderError',
  'TimeoutError', 'RequestTimeout', 'SlowDown', 'ServiceUnavailable', 'InternalError',
]);

/**
 * S3 error names meaning the backend will not store more: a bucket or user quota (RGW's 403
 * QuotaExceeded), a full MinIO (XMinioStorageFull, 507), an object over the backend's size limit.
 */
const FULL_NAMES = new Set(['QuotaExceeded', 'XMinioStorageFull', 'EntityTooLarge', 'InsufficientStorage']);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  cause?: { code?: string };
  $metadata?: { httpStatusCode?: number };
  /** Sent by S3 (and s3rver) in an InvalidRange error body. */
  ActualObjectSize?: string | number;
}

/**
 * Returns the typed error for `error`, or `error` itself when it is none of them (a bug or an
 * unexpected answer, left for the caller to surface). A 409 means PreconditionFailed only for
 * a conditional write (S3's ConditionalRequestConflict: a concurrent write won); `sizeOf` is
 * asked for the object's size when a 416 does not carry it.
 */
export async function translateS3Error(error: unknown, key: string, conditional: boolean, sizeOf: () => Promise<number | undefined>): Promise<unknown> {
  if (error instanceof StorageError) return error;
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? '';
  if (name === 'NoSuchKey' || name === 'NotFound' || (status === 404 && name !== 'NoSuchBucket')) return NotFound(key);
  // On a conditional write, 409 (AWS's ConditionalRequestConflict) and 500 (Ceph RGW's ECANCELED
  // when a racing writer changed the object mid-write; the write is not applied) both mean "lost,
  // or unknown": the caller re-reads and retries, as after a 412. RGW also answers an If-Match on
  // an absent key with 412 where AWS says 404; both are PRECONDITION_FAILED here.
  if (name === 'PreconditionFailed' || status === 412 || name === 'ConditionalRequestConflict' || (conditional && (status === 409 || status === 500))) {
    return PreconditionFailed(key);
  }
  if (name === 'InvalidRange' || status === 416) {
    const size = e.ActualObjectSize !== undefined ? Number(e.ActualObjectSize) : await sizeOf();
    return RangeNotSatisfiable(key, size ?? 0);
  }
  if (FULL_NAMES.has(name) || status === 507) {
    return StorageFull(`${name || 'error'}${status ? ` (HTTP ${status})` : ''} on ${key}: ${e.message ?? ''}`, error);
  }
  const code = e.code ?? e.cause?.code;
  if ((code !== undefined && NETWORK_CODES.has(code)) || UNAVAILABLE_NAMES.has(name) || (status !== undefined && (status >= 500 || status === 401 || status === 403))) {
    return StorageUnavailable(`${name || code || 'error'}${status ? ` (HTTP ${status})` : ''} on ${key}: ${e.message ?? ''}`, error);
  }
  return error;
}
