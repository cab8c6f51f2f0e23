// HTTP client for one upstream registry (undici, one keep-alive pool, redirects followed with
// Authorization dropped across origins, as Docker Hub's blob redirects to its CDN need). Every
// request holds one of max_concurrency slots (a GET until its body is consumed); GET and HEAD
// are idempotent and so retried with backoff on 5xx and connection failures (not on timeouts). A 429 blocks the
// upstream for its Retry-After, so later requests fail fast and cached tags are served stale.
// https://distribution.github.io/distribution/spec/api/
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { parseChallenge } from './challenge.js';
import { UpstreamErrors } from './errors.js';
import { Limiter } from './limiter.js';
import { UpstreamAuth } from './upstream-auth.js';
import type { UpstreamMetrics } from './upstream-metrics.js';
import type { UpstreamConfig } from './upstream-routes.js';

export interface UpstreamReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body; for a GET it holds an upstream slot until it ends, fails or is destroyed. */
  body: Readable;
}

const RETRIES = 2;
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export class RegistryClient {
  readonly name: string;
  private readonly base: string;
  private readonly dispatcher: Dispatcher;
  private readonly limiter: Limiter;
  private readonly auth: UpstreamAuth;
  private blockedUntil = 0;

  constructor(upstream: UpstreamConfig, private readonly metrics: UpstreamMetrics) {
    this.name = upstream.name;
    this.base = upstream.url.replace(/\/+$/, '');
    const timeout = upstream.timeout;
    this.dispatcher = new Agent({ headersTimeout: timeout, bodyTimeout: timeout, connectTimeout: timeout, keepAliveTimeout: 30_000 })
      .compose(interceptors.redirect({ maxRedirections: 5 }));
    this.limiter = new Limiter(upstream.max_concurrency);
    this.auth = new UpstreamAuth(upstream, this.dispatcher);
  }

  /**
   * HEAD or GET <url>/v2/<remote>/<path>. Answers 2xx and 404; throws TOOMANYREQUESTS (429, or
   * while a Retry-After lasts), UNAVAILABLE (5xx, timeouts, connection failures) or DENIED.
   */
  async send(method: 'GET' | 'HEAD', remote: string, path: string, accept?: string): Promise<UpstreamReply> {
    const wait = this.blockedUntil - Date.now();
    if (wait > 0) throw UpstreamErrors.TOOMANYREQUESTS(this.name, Math.ceil(wait / 1000));
    const release = await this.limiter.acquire();
    try {
      const reply = await this.attempt(method, remote, path, accept);
      if (method === 'HEAD' || reply.status >= 300) {
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

  private async attempt(method: 'GET' | 'HEAD', remote: string, path: string, accept?: string): Promise<UpstreamReply> {
    const scope = `repository:${remote}:pull`;
    const url = `${this.base}/v2/${remote}/${path}`;
    let answered = false;
    for (let attempt = 0; ; attempt++) {
      const authorization = this.auth.header(scope);
      const headers: Record<string, string> = { 'user-agent': 'nora-pull-through', ...(accept ? { accept } : {}), ...(authorization ? { authorization } : {}) };
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, { method, headers, dispatcher: this.dispatcher });
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        const timedOut = TIMEOUTS.has(code);
        this.metrics.errors.inc({ upstream: this.name, reason: timedOut ? 'timeout' : 'unavailable' });
        // A slow upstream stays slow: only refused or reset connections are worth another try.
        if (!timedOut && attempt < RETRIES) { await sleep(backoff(attempt)); continue; }
        throw UpstreamErrors.UNAVAILABLE(this.name, timedOut ? 'timed out' : code || (error as Error).message);
      }
      const status = response.statusCode;
      this.metrics.requests.inc({ upstream: this.name, method, status: String(status) });
      this.noteRateLimit(response.headers['ratelimit-remaining']);
      if (status < 300 || status === 404) return { status, headers: response.headers, body: response.body };
      await response.body.dump().catch(() => undefined);
      if (status === 401 && !answered) {
        answered = true;
        if (await this.auth.answer(parseChallenge(response.headers['www-authenticate']), scope)) { attempt--; continue; }
      }
      if (status === 401 || status === 403) {
        this.metrics.errors.inc({ upstream: this.name, reason: 'denied' });
        throw UpstreamErrors.DENIED(this.name, status);
      }
      if (status === 429) {
        const seconds = retryAfter(response.headers['retry-after']);
        if (seconds) this.blockedUntil = Date.now() + seconds * 1000;
        this.metrics.errors.inc({ upstream: this.name, reason: 'rate_limited' });
        throw UpstreamErrors.TOOMANYREQUESTS(this.name, seconds);
      }
      this.metrics.errors.inc({ upstream: this.name, reason: 'unavailable' });
      if (status >= 500 && attempt < RETRIES) { await sleep(backoff(attempt)); continue; }
      throw UpstreamErrors.UNAVAILABLE(this.name, `HTTP ${status}`);
    }
  }

  /** Records Docker Hub's "ratelimit-remaining: 76;w=21600". */
  private noteRateLimit(header: string | string[] | undefined): void {
    const value = Number.parseInt(String(Array.isArray(header) ? header[0] : header ?? ''), 10);
    if (Number.isFinite(value)) this.metrics.rateLimitRemaining.set({ upstream: this.name }, value);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

const backoff = (attempt: number): number => 100 * 2 ** attempt + Math.floor(Math.random() * 50);

/** Retry-After in seconds (delta-seconds or an HTTP date), or undefined. */
function retryAfter(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const when = Date.parse(text);
  return Number.isNaN(when) ? undefined : Math.max(0, Math.ceil((when - Date.now()) / 1000));
}
