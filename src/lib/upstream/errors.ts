// The errors of every format's pull-through cache when an upstream fails and nothing cached can
// answer instead. Each carries the upstream's URL without credentials (detail.upstream, and the
// request's detail.url); each protocol renders them in its own shape (OCI maps them onto its
// spec codes). A format whose clients read a particular sentence keeps its wording with
// `phrased`, never its own code or status.
import { defineError, type ErrorDefinition } from '../errors/catalog.js';
import { NoraError } from '../errors/nora-error.js';

/** What a failure names: the upstream as the message shows it, and where the request went. */
export interface UpstreamSite {
  /** The upstream as messages name it (its name, or a URL without credentials). */
  label: string;
  /** The upstream's base URL, without credentials. */
  upstream: string;
  /** The request's URL, without credentials. */
  url?: string;
  /** The upstream's configured name (else its host), as logs and metrics name it. */
  name?: string;
}

const site = (s: UpstreamSite) => ({ upstream: s.upstream, ...(s.url ? { url: s.url } : {}), ...(s.name ? { upstream_name: s.name } : {}) });

export const UpstreamErrors = {
  UNAVAILABLE: defineError('UPSTREAM_UNAVAILABLE', 502, 'An upstream could not be reached or answered with an error, and nothing is cached.',
    (s: UpstreamSite, why: string) => `upstream ${s.label} is unavailable (${why}) and nothing is cached`,
    (s: UpstreamSite, why: string) => ({ ...site(s), reason: why })),
  TIMEOUT: defineError('UPSTREAM_TIMEOUT', 504, 'An upstream did not answer in time, and nothing is cached.',
    (s: UpstreamSite, ms: number) => `upstream ${s.label} did not answer within ${ms} ms and nothing is cached`,
    (s: UpstreamSite, ms: number) => ({ ...site(s), reason: `did not answer within ${ms} ms` })),
  RATE_LIMITED: defineError('UPSTREAM_RATE_LIMITED', 429, 'An upstream is rate-limiting NORA, and nothing is cached.',
    (s: UpstreamSite, retryAfterS?: number) => `upstream ${s.label} is rate-limiting requests${retryAfterS ? ` (retry after ${retryAfterS}s)` : ''} and nothing is cached for this request`,
    (s: UpstreamSite, retryAfterS?: number) => ({ ...site(s), reason: 'rate limited', ...(retryAfterS ? { retry_after: retryAfterS } : {}) })),
  DENIED: defineError('UPSTREAM_DENIED', 502, 'An upstream refused NORA\'s credentials.',
    (s: UpstreamSite, status: number) => `upstream ${s.label} refused access (HTTP ${status}); check the upstream's username and password`,
    (s: UpstreamSite, status: number) => ({ ...site(s), reason: `HTTP ${status}` })),
  INTEGRITY: defineError('UPSTREAM_INTEGRITY', 502, 'An upstream sent bytes that do not match their published digest; nothing was cached.',
    (s: UpstreamSite, what: string, why: string) => `upstream ${s.label} sent ${what} that does not match its published digest (${why}); it was not cached`,
    (s: UpstreamSite, what: string, why: string) => ({ ...site(s), reason: why, what })),
} as const;

/**
 * The same error as `definition` (code, status) with a format's own wording for its clients. A
 * format that asks several upstreams phrases UNAVAILABLE and TIMEOUT alike and picks TIMEOUT only
 * when every upstream timed out (see `isTimeout`).
 */
export function phrased<A extends unknown[]>(definition: Pick<ErrorDefinition<never[]>, 'code' | 'status'>, message: (...args: A) => string, detail: (...args: A) => Record<string, unknown>): (...args: A) => NoraError {
  return (...args: A) => new NoraError(definition.code, definition.status, message(...args), detail(...args));
}

/** True for UPSTREAM_TIMEOUT. */
export const isTimeout = (error: unknown): boolean => (error as { code?: unknown } | undefined)?.code === UpstreamErrors.TIMEOUT.code;

const FAULTS = new Set<string>([UpstreamErrors.UNAVAILABLE.code, UpstreamErrors.TIMEOUT.code, UpstreamErrors.RATE_LIMITED.code, UpstreamErrors.DENIED.code]);

/** True for failures of the upstream itself (down, slow, rate-limiting, refusing), where a stale copy may be served. */
export const isUpstreamFault = (error: unknown): boolean => FAULTS.has(String((error as { code?: unknown } | undefined)?.code));

/** One line for a list of failed upstreams: "<url>: <reason>" (the URL without credentials). */
export function failureLine(error: unknown, url: string): string {
  const detail = (error as { detail?: Record<string, unknown> } | undefined)?.detail;
  if (typeof detail?.reason === 'string') return `${typeof detail.url === 'string' ? detail.url : url}: ${detail.reason}`;
  return `${url}: ${(error as Error | undefined)?.message ?? String(error)}`;
}
