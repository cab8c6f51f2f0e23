// Errors of the OCI pull-through cache, rendered in the distribution error shape by src/server/oci:
// each names the upstream, so a client sees which registry failed and why.
// https://distribution.github.io/distribution/spec/api/#errors
import { defineError } from '../errors/catalog.js';

export const UpstreamErrors = {
  TOOMANYREQUESTS: defineError('TOOMANYREQUESTS', 429, 'The upstream registry is rate-limiting and nothing is cached.',
    (upstream: string, retryAfterS?: number) => `upstream ${upstream} is rate-limiting requests${retryAfterS ? ` (retry after ${retryAfterS}s)` : ''} and nothing is cached for this request`,
    (upstream: string, retryAfterS?: number) => ({ upstream, ...(retryAfterS ? { retry_after: retryAfterS } : {}) })),
  UNAVAILABLE: defineError('UNAVAILABLE', 503, 'The upstream registry is unavailable and nothing is cached.',
    (upstream: string, why: string) => `upstream ${upstream} is unavailable (${why}) and nothing is cached for this request`,
    (upstream: string) => ({ upstream })),
  DENIED: defineError('DENIED', 403, 'The upstream registry refused NORA\'s credentials.',
    (upstream: string, status: number) => `upstream ${upstream} refused access (HTTP ${status}); check the upstream's username and password`,
    (upstream: string) => ({ upstream })),
  PUSH_REFUSED: defineError('DENIED', 403, 'Pushing to a name served from an upstream is disabled.',
    (name: string, upstream: string) => `repository ${name} is served from upstream ${upstream}; pushing to it is disabled (allow_push = true on the upstream allows it)`,
    (name: string, upstream: string) => ({ name, upstream })),
} as const;

/** True for failures of the upstream itself (rate limit, outage), where a stale cached copy may be served. */
export const isUpstreamFault = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return code === 'TOOMANYREQUESTS' || code === 'UNAVAILABLE';
};
