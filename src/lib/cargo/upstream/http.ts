// The HTTP client for the upstream registry (undici): timeouts from [cargo] upstream_timeout,
// redirects followed (crates.io's download endpoint redirects to its CDN), and small bodies
// read with a size cap. Network failures become UPSTREAM_UNAVAILABLE for the callers to judge.
import type { Readable } from 'node:stream';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { CargoErrors } from '../errors.js';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

export class UpstreamHttp {
  private readonly dispatcher: Dispatcher;

  constructor(timeoutMs: number) {
    this.dispatcher = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs })
      .compose(interceptors.redirect({ maxRedirections: 5 }));
  }

  /** GETs `url`; UPSTREAM_UNAVAILABLE when it cannot be reached at all. */
  async get(url: string, headers: Record<string, string> = {}): Promise<UpstreamResponse> {
    try {
      const response = await request(url, { method: 'GET', headers: { 'user-agent': 'nora-cargo-cache', ...headers }, dispatcher: this.dispatcher });
      return { status: response.statusCode, headers: response.headers, body: response.body as unknown as Readable };
    } catch (error) {
      throw CargoErrors.UPSTREAM_UNAVAILABLE(url, (error as Error).message);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}


/** Discards a body we do not need, so the connection can be reused. */
export async function drain(body: Readable): Promise<void> {
  try {
    for await (const _ of body) { /* discard */ }
  } catch {
    // A broken body on an error response changes nothing.
  }
}
