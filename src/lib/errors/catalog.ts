// The catalog of errors shared by every format. Protocol-specific codes (OCI's BLOB_UNKNOWN, ...)
// live in their format's own catalog built with the same `defineError`, which registers each code
// in the one registry (registry.ts); test/unit/errors/ keeps the registry and the README in step.
import { NoraError } from './nora-error.js';
import { registerError } from './registry.js';

export interface ErrorDefinition<A extends unknown[]> {
  readonly code: string;
  readonly status: number;
  readonly summary: string;
  (...args: A): NoraError;
}

/**
 * Defines a catalog entry: calling it builds the error with a message from `message(...args)`.
 * Throws (at module load) when `code` is already defined with another status.
 */
export function defineError<A extends unknown[]>(
  code: string,
  status: number,
  summary: string,
  message: (...args: A) => string,
  detail?: (...args: A) => Record<string, unknown>,
): ErrorDefinition<A> {
  registerError({ code, status, summary });
  const make = (...args: A) => new NoraError(code, status, message(...args), detail?.(...args));
  return Object.assign(make, { code, status, summary });
}

export const CommonErrors = {
  INVALID_PATH: defineError('INVALID_PATH', 400, 'A path or name is malformed or tries to leave its namespace.',
    (what: string) => `invalid path: ${what}`),
  INVALID_QUERY: defineError('INVALID_QUERY', 400, 'A query parameter is malformed or out of range (a page size that is not an integer).',
    (why: string) => `invalid query parameter: ${why}`),
  NOT_FOUND: defineError('NOT_FOUND', 404, 'Nothing is stored under that name.',
    (what: string) => `not found: ${what}`),
  /** A miss told in a protocol's own words (npm's "Not found", Maven's "Not Found"), naming nothing stored. */
  NOT_FOUND_AS: defineError('NOT_FOUND', 404, 'Nothing is stored under that name.',
    (words: string) => words),
  BAD_REQUEST: defineError('BAD_REQUEST', 400, 'The server refused the request before any handler saw it (malformed JSON, URL, Content-Length, or a failed schema).',
    (why: string) => why),
  URI_TOO_LONG: defineError('URI_TOO_LONG', 414, 'A path parameter is longer than the server accepts.',
    (why: string) => why),
  UNSUPPORTED_MEDIA_TYPE: defineError('UNSUPPORTED_MEDIA_TYPE', 415, 'The request body has a Content-Type the endpoint does not take.',
    (why: string) => why),
  DIGEST_MISMATCH: defineError('DIGEST_MISMATCH', 400, 'The bytes received do not hash to the digest the client declared.',
    (expected: string, actual: string) => `digest mismatch: declared ${expected}, received content hashes to ${actual}`,
    (expected: string, actual: string) => ({ expected, actual })),
  TOO_LARGE: defineError('TOO_LARGE', 413, 'A body is larger than the configured limit.',
    (what: string, limit: number) => `${what} exceeds the limit of ${limit} bytes`),
  TRUNCATED: defineError('TRUNCATED', 400, 'A body ended before the length the client declared.',
    (what: string, expected: number, got: number) => `${what} ended after ${got} of ${expected} bytes`),
  CONFLICT: defineError('CONFLICT', 409, 'A concurrent update could not be applied after retrying.',
    (what: string) => `concurrent updates to ${what} kept conflicting; try again`),
  STORAGE_UNAVAILABLE: defineError('STORAGE_UNAVAILABLE', 503, 'The storage backend cannot be reached.',
    (reason: string) => `storage unavailable: ${reason}`),
  STORAGE_FULL: defineError('STORAGE_FULL', 507, 'The store is full (no space left, or a quota reached); nothing was stored.',
    (reason: string) => `insufficient storage: the store is full (${reason}); nothing was stored. Free space or raise the quota, then retry`),
  INTERNAL: defineError('INTERNAL', 500, 'An unexpected failure; the server log has the request id.',
    (requestId: string) => `internal error (request id ${requestId})`),
} as const;
