// One HTTP client per upstream, the same for every format (undici): a keep-alive pool, the
// configured timeouts, an optional proxy and extra CA certificates, redirects followed (at most
// 5; undici drops Authorization across origins, as redirects to a CDN need), NORA's user-agent
// and the upstream's credentials (sent to its own origin only). Every request holds one of max_concurrency slots (a GET until
// its body ends, fails or is destroyed). GET and HEAD are idempotent and so retried with backoff
// on connection failures and 5xx, not on timeouts (a slow upstream stays slow). A 429 blocks the
// upstream for its Retry-After, so later requests fail fast and cached copies are served stale.
// Every failure becomes an UpstreamErrors entry naming the upstream without credentials.
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { Agent, Dispatcher, ProxyAgent } from 'undici';
import type { UpstreamSettings } from '../config/upstream-fields.js';
import { isNoraError } from '../errors/nora-error.js';
import { readLimited } from '../streams/read-limited.js';
import { NORA_VERSION } from '../version.js';
import { readCredentials, readTrust, withoutCredentials, type Credentials } from './credentials.js';
import { UpstreamErrors, type UpstreamSite } from './errors.js';
import { Limiter } from './limiter.js';
import { loadUndici } from './load-undici.js';
import type { UpstreamMetrics } from './metrics.js';
import { currentSpan } from '../tracing/span-context.js';

export interface UpstreamRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** A Buffer can be sent again (after a challenge or a retry); a stream is sent once. */
  body?: Buffer | Readable;
  /** What the request reads, for an authorizer that scopes its tokens (OCI: "repository:x:pull"). */
  scope?: string;
}

export interface UpstreamReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body; for a GET it holds an upstream slot until it ends, fails or is destroyed. */
  body: Readable;
  /** The URL asked, without credentials. */
  url: string;
}

/** Decides the Authorization of each request: by default the credentials, sent up front. */
export interface UpstreamAuthorizer {
  header(scope: string | undefined): string | undefined;
  /** Answers a 401's WWW-Authenticate; true when the request may now succeed. */
  answer?(challenge: string | string[] | undefined, scope: string | undefined): Promise<boolean>;
}

export interface ClientOptions {
  metrics?: UpstreamMetrics | undefined;
  /** How messages name the upstream for a request URL (default: that URL). */
  label?: (url: string) => string;
  /** Replaces sending the credentials up front (OCI answers challenges with its token protocol). */
  authorizer?: (client: UpstreamClient) => UpstreamAuthorizer;
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

const USER_AGENT = `nora/${NORA_VERSION}`;
const RETRIES = 2;
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const backoff = (attempt: number): number => 100 * 2 ** attempt + Math.floor(Math.random() * 50);

export class UpstreamClient {
  /** The upstream's name in logs and metrics: the configured one, else the URL's host. */
  readonly name: string;
  /** The base URL without credentials or trailing slash. */
  readonly base: string;
  readonly credentials: Credentials;
  private readonly origin: string;
  private readonly limiter: Limiter;
  private readonly authorizer: UpstreamAuthorizer;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;
  private blockedUntil = 0;
  private readonly pool: { proxy: ProxyAgent.Options } | { direct: Agent.Options };
  private agent: Promise<Dispatcher> | undefined;

  constructor(readonly settings: UpstreamSettings, private readonly options: ClientOptions = {}) {
    this.credentials = readCredentials(settings);
    this.base = this.credentials.base;
    this.origin = new URL(this.base).origin;
    this.name = settings.name || new URL(this.base).host;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? delay;
    const timeout = settings.timeout;
    const tls = readTrust(settings);
    const pool = { headersTimeout: timeout, bodyTimeout: timeout, connectTimeout: timeout, keepAliveTimeout: 30_000 };
    this.pool = settings.proxy
      ? { proxy: { uri: settings.proxy, ...pool, ...(tls ? { requestTls: tls } : {}) } }
      : { direct: { ...pool, ...(tls ? { connect: tls } : {}) } };
    this.limiter = new Limiter(settings.max_concurrency);
    const header = this.credentials.header;
    this.authorizer = options.authorizer?.(this) ?? { header: () => header };
  }

  /**
   * The connection pool, made on the first request: undici is loaded only then, so a server
   * whose upstreams are never asked does not pay for it at start-up or in idle memory.
   */
  dispatcher(): Promise<Dispatcher> {
    this.agent ??= loadUndici().then(({ Agent, ProxyAgent, interceptors }) => {
      const agent = 'proxy' in this.pool ? new ProxyAgent(this.pool.proxy) : new Agent(this.pool.direct);
      return agent.compose(interceptors.redirect({ maxRedirections: 5 }));
    });
    return this.agent;
  }

  /** `path` under the base URL. */
  url(path: string): string {
    return `${this.base}/${path.replace(/^\/+/, '')}`;
  }

  /** How an error names this upstream for a request to `url`. */
  site(url?: string): UpstreamSite {
    const shown = url === undefined ? undefined : withoutCredentials(url);
    return { label: this.options.label?.(shown ?? this.base) ?? shown ?? this.base, upstream: this.base, name: this.name, ...(shown ? { url: shown } : {}) };
  }

  /**
   * Sends a request and answers every status below 500 except 401, 403 and 429, which throw
   * DENIED and RATE_LIMITED like 5xx and transport failures throw UNAVAILABLE or TIMEOUT.
   */
  async request(url: string, options: UpstreamRequest = {}): Promise<UpstreamReply> {
    const wait = this.blockedUntil - this.now();
    if (wait > 0) throw UpstreamErrors.RATE_LIMITED(this.site(url), Math.ceil(wait / 1000));
    const release = await this.limiter.acquire();
    try {
      const reply = await this.attempt(url, options);
      if (options.method === 'HEAD') {
        reply.body.resume();
        release();
      } else {
        reply.body.once('close', release).once('end', release).once('error', release);
      }
      return reply;
    } catch (error) {
      release();
      throw error;
    }
  }

  private async attempt(url: string, options: UpstreamRequest): Promise<UpstreamReply> {
    const method = options.method ?? 'GET';
    const idempotent = method === 'GET' || method === 'HEAD';
    // A streamed body is consumed by the first attempt: a 401 then is final.
    const resendable = !(options.body instanceof Readable);
    const metrics = this.options.metrics;
    let answered = false;
    // Credentials go to the upstream's own origin only (a packument may name tarballs elsewhere).
    const own = new URL(url).origin === this.origin;
    for (let attempt = 0; ; attempt++) {
      const authorization = own ? this.authorizer.header(options.scope) : undefined;
      const headers = { 'user-agent': USER_AGENT, ...options.headers, ...(authorization ? { authorization } : {}) };
      let response: Dispatcher.ResponseData;
      const started = performance.now();
      // With tracing on, a client span per attempt; its traceparent goes to the upstream.
      const span = currentSpan()?.child(`${method} ${this.name}`, { 'http.request.method': method, 'server.address': this.name, 'url.full': withoutCredentials(url) }, 'client');
      try {
        const { request } = await loadUndici();
        response = await request(url, { method, headers: span ? { ...headers, traceparent: span.traceparent } : headers, ...(options.body ? { body: options.body } : {}), dispatcher: await this.dispatcher() });
      } catch (error) {
        metrics?.latency.observe({ upstream: this.name, method }, (performance.now() - started) / 1000);
        span?.fail((error as Error).message);
        span?.end();
        const timedOut = TIMEOUTS.has((error as { code?: string }).code ?? '');
        metrics?.errors.inc({ upstream: this.name, reason: timedOut ? 'timeout' : 'unavailable' });
        if (!timedOut && idempotent && attempt < RETRIES) { await this.sleep(backoff(attempt)); continue; }
        throw this.failure(error, url);
      }
      const status = response.statusCode;
      metrics?.latency.observe({ upstream: this.name, method }, (performance.now() - started) / 1000);
      span?.set({ 'http.response.status_code': status });
      if (status >= 500) span?.fail(`status ${status}`);
      span?.end();
      metrics?.requests.inc({ upstream: this.name, method, status: String(status) });
      this.noteRateLimit(response.headers['ratelimit-remaining']);
      if (status < 400 && status >= 200) return { status, headers: response.headers, body: response.body, url: withoutCredentials(url) };
      if (status === 401 && own && !answered && resendable && this.authorizer.answer) {
        answered = true;
        await response.body.dump().catch(() => undefined);
        if (await this.authorizer.answer(response.headers['www-authenticate'], options.scope)) { attempt--; continue; }
      } else if (status === 401 || status === 403 || status === 429 || status >= 500) {
        await response.body.dump().catch(() => undefined);
      } else {
        return { status, headers: response.headers, body: response.body, url: withoutCredentials(url) };
      }
      if (status === 401 || status === 403) {
        metrics?.errors.inc({ upstream: this.name, reason: 'denied' });
        throw UpstreamErrors.DENIED(this.site(url), status);
      }
      if (status === 429) {
        const seconds = retryAfter(response.headers['retry-after'], this.now());
        if (seconds) this.blockedUntil = this.now() + seconds * 1000;
        metrics?.errors.inc({ upstream: this.name, reason: 'rate_limited' });
        throw UpstreamErrors.RATE_LIMITED(this.site(url), seconds);
      }
      metrics?.errors.inc({ upstream: this.name, reason: 'unavailable' });
      if (idempotent && attempt < RETRIES) { await this.sleep(backoff(attempt)); continue; }
      throw UpstreamErrors.UNAVAILABLE(this.site(url), `status ${status}`);
    }
  }

  /** The UpstreamErrors entry for a transport failure of a request to `url` (NoraErrors pass). */
  failure(error: unknown, url?: string): Error {
    if (isNoraError(error)) return error;
    const code = (error as { code?: string } | undefined)?.code ?? '';
    if (TIMEOUTS.has(code)) return UpstreamErrors.TIMEOUT(this.site(url), this.settings.timeout);
    return UpstreamErrors.UNAVAILABLE(this.site(url), code || (error as Error | undefined)?.message || 'request failed');
  }

  /** UNAVAILABLE for an answer the caller cannot use (its body is discarded). */
  unexpected(reply: UpstreamReply, why = `status ${reply.status}`): Error {
    reply.body.resume();
    return UpstreamErrors.UNAVAILABLE(this.site(reply.url), why);
  }

  /** A small body read whole; larger than `limit`, or cut off, it is UNAVAILABLE. */
  async read(reply: UpstreamReply, limit: number, what: string): Promise<Buffer> {
    try {
      return await readLimited(reply.body, limit, what, () => UpstreamErrors.UNAVAILABLE(this.site(reply.url), `${what} larger than ${limit} bytes`));
    } catch (error) {
      throw this.failure(error, reply.url);
    }
  }

  /** Records Docker Hub's "ratelimit-remaining: 76;w=21600". */
  private noteRateLimit(header: string | string[] | undefined): void {
    const value = Number.parseInt(String(Array.isArray(header) ? header[0] : header ?? ''), 10);
    if (Number.isFinite(value)) this.options.metrics?.rateLimitRemaining.set({ upstream: this.name }, value);
  }

  async close(): Promise<void> {
    if (this.agent) await (await this.agent).close();
  }
}

/** Retry-After in seconds (delta-seconds or an HTTP date), or undefined. */
function retryAfter(header: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const when = Date.parse(text);
  return Number.isNaN(when) ? undefined : Math.max(0, Math.ceil((when - now) / 1000));
}
