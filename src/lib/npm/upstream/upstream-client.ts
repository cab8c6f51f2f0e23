// HTTP client for the upstream npm registry (undici, one keep-alive pool). Every failure is
// translated once, here: no answer in time → UPSTREAM_TIMEOUT (504), refused connections,
// resets and 5xx → UPSTREAM_UNAVAILABLE (502), both naming the upstream. Callers decide whether
// something cached can be served instead.
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { NpmErrors } from '../errors.js';
import type { Packument } from '../packument.js';

export type PackumentFetch =
  | { status: 200; etag?: string; packument: Packument }
  | { status: 304 }
  | { status: 404 };

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export class UpstreamClient {
  readonly base: string;
  private readonly agent: Agent;

  constructor(base: string, private readonly timeoutMs: number) {
    this.base = base.replace(/\/+$/, '');
    this.agent = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs, keepAliveTimeout: 30_000 });
  }

  /** Maps a transport failure to the catalog error naming the upstream. */
  failure(error: unknown): Error {
    const code = (error as { code?: string }).code ?? '';
    if (TIMEOUT_CODES.has(code)) return NpmErrors.UPSTREAM_TIMEOUT(this.base, this.timeoutMs);
    return NpmErrors.UPSTREAM_UNAVAILABLE(this.base, code || (error as Error).message || 'request failed');
  }

  private async call(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: Buffer } = {}) {
    try {
      return await request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ...(options.body ? { body: options.body } : {}), dispatcher: this.agent });
    } catch (error) {
      throw this.failure(error);
    }
  }

  private async text(body: { text(): Promise<string> }): Promise<string> {
    try {
      return await body.text();
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** GET <upstream>/<escaped name>, conditional on `etag`. */
  async packument(escapedName: string, etag?: string): Promise<PackumentFetch> {
    const response = await this.call(`${this.base}/${escapedName}`, { headers: { accept: 'application/json', ...(etag ? { 'if-none-match': etag } : {}) } });
    if (response.statusCode === 304) { await response.body.dump(); return { status: 304 }; }
    if (response.statusCode === 404) { await response.body.dump(); return { status: 404 }; }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw NpmErrors.UPSTREAM_UNAVAILABLE(this.base, `HTTP ${response.statusCode} for ${escapedName}`);
    }
    const text = await this.text(response.body);
    let packument: Packument;
    try {
      packument = JSON.parse(text) as Packument;
    } catch {
      throw NpmErrors.UPSTREAM_UNAVAILABLE(this.base, `invalid JSON for ${escapedName}`);
    }
    if (typeof packument !== 'object' || packument === null || typeof packument.versions !== 'object' || packument.versions === null) {
      throw NpmErrors.UPSTREAM_UNAVAILABLE(this.base, `no versions in the packument of ${escapedName}`);
    }
    packument['dist-tags'] ??= {};
    packument.time ??= {};
    const tag = response.headers.etag;
    return { status: 200, packument, ...(typeof tag === 'string' ? { etag: tag } : {}) };
  }

  /** Opens a tarball stream; TARBALL_NOT_FOUND-style 404s are the caller's to name. */
  async tarball(url: string): Promise<{ status: number; size?: number; body: Readable }> {
    const response = await this.call(url, { headers: { accept: 'application/octet-stream' } });
    if (response.statusCode >= 500) {
      await response.body.dump();
      throw NpmErrors.UPSTREAM_UNAVAILABLE(this.base, `HTTP ${response.statusCode} for ${url}`);
    }
    const length = Number(response.headers['content-length']);
    return { status: response.statusCode, body: response.body, ...(Number.isSafeInteger(length) ? { size: length } : {}) };
  }

  /** Forwards a request (search, audit) and returns the whole answer. */
  async forward(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: Buffer): Promise<UpstreamResponse> {
    const response = await this.call(`${this.base}${path}`, { method, headers, ...(body ? { body } : {}) });
    try {
      return { status: response.statusCode, headers: response.headers, body: Buffer.from(await response.body.arrayBuffer()) };
    } catch (error) {
      throw this.failure(error);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
