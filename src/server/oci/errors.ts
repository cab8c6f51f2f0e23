// Renders every error under /v2 in the distribution spec's shape,
// {"errors":[{"code","message","detail"}]}, with the spec's codes; NORA's common codes are
// mapped onto them, and 416s carry the Range / Content-Range headers clients resume from.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes
import type { FastifyRequest } from 'fastify';
import type { ErrorRenderer, NotFound } from '../core/error-shapes.js';
import { publicBaseUrl } from '../core/public-url.js';
import { isNoraError } from '../../lib/errors/nora-error.js';
import { OciErrors, SPEC_CODES, WIRE_CODES } from '../../lib/oci/errors.js';
import { parseOciPath } from './router.js';

/** The upstream kit's errors as distribution answers them (its UNAVAILABLE is a 503). */
const UPSTREAM_TO_SPEC: Record<string, { code: string; status: number }> = {
  UPSTREAM_UNAVAILABLE: { code: 'UNAVAILABLE', status: 503 },
  UPSTREAM_TIMEOUT: { code: 'UNAVAILABLE', status: 503 },
  UPSTREAM_INTEGRITY: { code: 'UNAVAILABLE', status: 503 },
  UPSTREAM_RATE_LIMITED: { code: 'TOOMANYREQUESTS', status: 429 },
  UPSTREAM_DENIED: { code: 'DENIED', status: 403 },
};

/** NORA codes that are not spec codes (OCI's own variants, the common catalog) and the spec code each is sent as. */
const TO_SPEC: Record<string, string> = {
  ...WIRE_CODES,
  DIGEST_MISMATCH: 'DIGEST_INVALID',
  TRUNCATED: 'SIZE_INVALID',
  TOO_LARGE: 'SIZE_INVALID',
  INVALID_PATH: 'NAME_INVALID',
  NOT_FOUND: 'UNSUPPORTED',
  TOO_MANY_REQUESTS: 'TOOMANYREQUESTS',
  QUOTA_EXCEEDED: 'DENIED',
  RATE_LIMITED: 'TOOMANYREQUESTS',
  STORAGE_UNAVAILABLE: 'UNAVAILABLE',
};

/** The token-auth challenge: where to get a token and for which scope (the route's access). */
function bearerChallenge(request: FastifyRequest, publicUrl: string): string {
  const byName = new Map<string, Set<string>>();
  for (const r of request.access ?? []) {
    if (!r.name) continue;
    const actions = byName.get(r.name) ?? new Set<string>();
    actions.add(r.action);
    byName.set(r.name, actions);
  }
  const scope = [...byName].map(([name, actions]) => `repository:${name}:${[...actions].join(',')}`).join(' ');
  const catalog = request.access?.some((r) => r.name === '') ? 'registry:catalog:*' : '';
  const scopes = [scope, catalog].filter(Boolean).join(' ');
  return `Bearer realm="${publicBaseUrl(request, publicUrl)}/auth/token",service="nora"${scopes ? `,scope="${scopes}"` : ''}`;
}

/** The /v2 renderer; 401s carry the Bearer challenge pointing at this server's /auth/token. */
export const ociErrorRenderer = (publicUrl: string): ErrorRenderer => (error, request) => {
  const rendered = renderOciError(error, request);
  if (error.status === 401) rendered.headers = { ...rendered.headers, 'www-authenticate': bearerChallenge(request, publicUrl) };
  return rendered;
};

export const renderOciError: ErrorRenderer = (error) => {
  const upstream = UPSTREAM_TO_SPEC[error.code];
  const code = upstream?.code ?? (SPEC_CODES.has(error.code) ? error.code : TO_SPEC[error.code] ?? 'UNKNOWN');
  const headers: Record<string, string> = { 'docker-distribution-api-version': 'registry/2.0' };
  const detail = error.detail ?? {};
  if (error.status === 416 && typeof detail.expected_start === 'number') {
    headers.range = `0-${Math.max(0, detail.expected_start - 1)}`;
  }
  if (error.status === 416 && typeof detail.size === 'number') headers['content-range'] = `bytes */${detail.size}`;
  return {
    status: upstream?.status ?? error.status,
    headers,
    body: { errors: [{ code, message: error.message, detail }] },
  };
};

/** The spec's "unknown" code for the resource the path names (BLOB_UNKNOWN, MANIFEST_UNKNOWN, ...). */
export const ociNotFound: NotFound = (request) => {
  let path;
  try {
    path = parseOciPath(request.url);
  } catch (error) {
    if (isNoraError(error)) return error;
    throw error;
  }
  switch (path.resource) {
    case 'blob': return OciErrors.BLOB_UNKNOWN(path.name, path.digest);
    case 'manifest': return OciErrors.MANIFEST_UNKNOWN(path.name, path.reference);
    case 'referrers': return OciErrors.MANIFEST_UNKNOWN(path.name, path.digest);
    case 'uploads': return OciErrors.BLOB_UPLOAD_UNKNOWN(path.id ?? '');
    case 'tags': return OciErrors.NAME_UNKNOWN(path.name);
    case 'catalog': return OciErrors.NAME_UNKNOWN('_catalog');
  }
};
