// The OCI distribution error catalog: the spec's codes with their HTTP statuses, raised by
// src/lib/oci and rendered as {"errors":[{code,message,detail}]} by src/server/oci.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes
import { defineError } from '../errors/catalog.js';

export const OciErrors = {
  BLOB_UNKNOWN: defineError('BLOB_UNKNOWN', 404, 'Blob unknown to registry.',
    (name: string, digest: string) => `blob ${digest} is not known in repository ${name}`,
    (_name: string, digest: string) => ({ digest })),
  BLOB_UPLOAD_INVALID: defineError('BLOB_UPLOAD_INVALID', 400, 'Blob upload invalid.',
    (why: string) => `blob upload invalid: ${why}`),
  BLOB_UPLOAD_UNKNOWN: defineError('BLOB_UPLOAD_UNKNOWN', 404, 'Blob upload unknown to registry.',
    (id: string) => `blob upload ${id} is unknown, finished, cancelled or expired`),
  DIGEST_INVALID: defineError('DIGEST_INVALID', 400, 'Provided digest did not match uploaded content.',
    (why: string) => `digest invalid: ${why}`),
  MANIFEST_BLOB_UNKNOWN: defineError('MANIFEST_BLOB_UNKNOWN', 400, 'Manifest references a manifest or blob unknown to registry.',
    (name: string, digest: string) => `manifest references ${digest}, which is not in repository ${name}; push it first`,
    (_name: string, digest: string) => ({ digest })),
  MANIFEST_INVALID: defineError('MANIFEST_INVALID', 400, 'Manifest invalid.',
    (why: string) => `manifest invalid: ${why}`),
  MANIFEST_UNKNOWN: defineError('MANIFEST_UNKNOWN', 404, 'Manifest unknown to registry.',
    (name: string, reference: string) => `manifest ${reference} is not known in repository ${name}`,
    (name: string, reference: string) => ({ name, reference })),
  NAME_INVALID: defineError('NAME_INVALID', 400, 'Invalid repository name.',
    (name: string) => `invalid repository name ${JSON.stringify(name)}: lowercase components of [a-z0-9] joined by ".", "_", "__" or "-", separated by "/"`),
  NAME_UNKNOWN: defineError('NAME_UNKNOWN', 404, 'Repository name not known to registry.',
    (name: string) => `repository ${name} is not known to this registry`),
  PAGINATION_NUMBER_INVALID: defineError('PAGINATION_NUMBER_INVALID', 400, 'Invalid number of results requested.',
    (why: string) => `invalid number of results requested: ${why}`),
  SIZE_INVALID: defineError('SIZE_INVALID', 400, 'Provided length did not match content length.',
    (why: string) => `size invalid: ${why}`),
  TAG_INVALID: defineError('TAG_INVALID', 400, 'Manifest tag did not match the spec pattern.',
    (tag: string) => `invalid tag ${JSON.stringify(tag.slice(0, 140))}: up to 128 of [A-Za-z0-9_.-], not starting with "." or "-"`),
  UNAUTHORIZED: defineError('UNAUTHORIZED', 401, 'Authentication required.',
    (why: string) => `authentication required: ${why}`),
  DENIED: defineError('DENIED', 403, 'Requested access to the resource is denied.',
    (why: string) => `access denied: ${why}`),
  UNSUPPORTED: defineError('UNSUPPORTED', 405, 'The operation is unsupported.',
    (why: string) => `unsupported: ${why}`),
  TOOMANYREQUESTS: defineError('TOOMANYREQUESTS', 429, 'Too many requests.',
    (why: string) => `too many requests: ${why}`),
  /** A push to a name served from an upstream that does not allow pushes. */
  PUSH_REFUSED: defineError('DENIED', 403, 'Pushing to a name served from an upstream is disabled.',
    (name: string, upstream: string) => `repository ${name} is served from upstream ${upstream}; pushing to it is disabled (allow_push = true on the upstream allows it)`,
    (name: string, upstream: string) => ({ name, upstream })),
  // The variants below have their own codes (one code, one status: src/lib/errors/registry.ts);
  // clients see the spec code WIRE_CODES maps them to.
  /** A request path under /v2/ that names no endpoint. */
  ENDPOINT_UNKNOWN: defineError('ENDPOINT_UNKNOWN', 404, 'No OCI endpoint at that path.',
    (path: string) => `unsupported: no OCI endpoint at /v2/${path.slice(0, 200)}`),
  /** A descriptor whose size is not the stored content's: containerd refuses such an image at pull. */
  MANIFEST_SIZE_MISMATCH: defineError('MANIFEST_SIZE_MISMATCH', 400, 'A manifest descriptor declares another size than the content stored under its digest.',
    (field: string, digest: string, declared: number, stored: number) => `manifest invalid: ${field} ${digest} declares size ${declared}, but the stored content has ${stored} bytes`,
    (field: string, digest: string, declared: number, stored: number) => ({ field, digest, declared, stored })),
  /** A manifest body over docker.manifest_max_size. */
  MANIFEST_TOO_LARGE: defineError('MANIFEST_TOO_LARGE', 413, 'Manifest larger than the configured limit.',
    (limit: number) => `manifest is larger than the limit of ${limit} bytes (docker.manifest_max_size)`,
    (limit: number) => ({ limit })),
  /** A chunk that does not start where the upload ends: 416 with the upload's current Range. */
  CHUNK_OUT_OF_ORDER: defineError('CHUNK_OUT_OF_ORDER', 416, 'Chunk out of order or overlapping.',
    (expected: number, got: number) => `chunk starts at byte ${got} but the upload has ${expected} bytes; send the chunk starting at ${expected}`,
    (expected: number, got: number) => ({ expected_start: expected, start: got })),
  /** A blob GET Range outside the blob: 416 with Content-Range bytes star/size. */
  RANGE_NOT_SATISFIABLE: defineError('RANGE_NOT_SATISFIABLE', 416, 'Requested range is outside the blob.',
    (range: string, size: number) => `range ${range} is not satisfiable for a blob of ${size} bytes`,
    (_range: string, size: number) => ({ size })),
} as const;

/** The spec code each OCI variant above is sent as (src/server/oci/errors renders it). */
export const WIRE_CODES: Readonly<Record<string, string>> = {
  ENDPOINT_UNKNOWN: 'UNSUPPORTED',
  MANIFEST_TOO_LARGE: 'SIZE_INVALID',
  CHUNK_OUT_OF_ORDER: 'BLOB_UPLOAD_INVALID',
  RANGE_NOT_SATISFIABLE: 'SIZE_INVALID',
  MANIFEST_SIZE_MISMATCH: 'MANIFEST_INVALID',
};

/**
 * The codes the spec allows in an error body, plus distribution's UNAVAILABLE and
 * PAGINATION_NUMBER_INVALID; others are rendered as UNKNOWN (see server/oci/errors).
 */
export const SPEC_CODES = new Set(['BLOB_UNKNOWN', 'BLOB_UPLOAD_INVALID', 'BLOB_UPLOAD_UNKNOWN', 'DIGEST_INVALID',
  'MANIFEST_BLOB_UNKNOWN', 'MANIFEST_INVALID', 'MANIFEST_UNKNOWN', 'NAME_INVALID', 'NAME_UNKNOWN', 'SIZE_INVALID', 'TAG_INVALID',
  'UNAUTHORIZED', 'DENIED', 'UNSUPPORTED', 'TOOMANYREQUESTS', 'UNAVAILABLE', 'PAGINATION_NUMBER_INVALID']);
