// Renders every error under /v2 in the distribution spec's shape,
// {"errors":[{"code","message","detail"}]}, with the spec's codes; NORA's common codes are
// mapped onto them, and 416s carry the Range / Content-Range headers clients resume from.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes
import type { ErrorRenderer } from '../core/error-shapes.js';
import { SPEC_CODES } from '../../lib/oci/errors.js';

const COMMON_TO_SPEC: Record<string, string> = {
  DIGEST_MISMATCH: 'DIGEST_INVALID',
  TRUNCATED: 'SIZE_INVALID',
  TOO_LARGE: 'SIZE_INVALID',
  INVALID_PATH: 'NAME_INVALID',
  NOT_FOUND: 'UNSUPPORTED',
};

export const renderOciError: ErrorRenderer = (error) => {
  const code = SPEC_CODES.has(error.code) ? error.code : COMMON_TO_SPEC[error.code] ?? 'UNKNOWN';
  const headers: Record<string, string> = { 'docker-distribution-api-version': 'registry/2.0' };
  const detail = error.detail ?? {};
  if (error.status === 416 && typeof detail.expected_start === 'number') {
    headers.range = `0-${Math.max(0, detail.expected_start - 1)}`;
  }
  if (error.status === 416 && typeof detail.size === 'number') headers['content-range'] = `bytes */${detail.size}`;
  return {
    status: error.status,
    headers,
    body: { errors: [{ code, message: error.message, detail }] },
  };
};
