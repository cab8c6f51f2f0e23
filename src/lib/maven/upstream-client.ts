// Fetches paths from the configured upstream Maven repositories with undici: a file as a
// stream, small text files (checksums, metadata) with a size cap. "Missing" (404/410) and
// "unreachable" (network error, timeout, 5xx) are kept apart: only the first may be cached.
import type { Readable } from 'node:stream';
import { Agent, interceptors, request, type Dispatcher } from 'undici';

export type UpstreamAnswer =
  | { status: 'found'; upstream: string; url: string; body: Readable; size?: number }
  | { status: 'missing' }
  | { status: 'unreachable'; reason: string };

export type UpstreamText = { status: 'found'; upstream: string; text: string } | Exclude<UpstreamAnswer, { status: 'found' }>;

const TEXT_LIMIT = 4 * 1024 * 1024;

export class UpstreamClient {
  private readonly dispatcher: Dispatcher;

  constructor(readonly upstreams: string[], timeoutMs: number) {
    this.dispatcher = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs })
      .compose(interceptors.redirect({ maxRedirections: 5 }));
  }

  get enabled(): boolean {
    return this.upstreams.length > 0;
  }

  /** GETs `path` from one upstream. */
  async get(upstream: string, path: string): Promise<UpstreamAnswer> {
    const url = `${upstream.replace(/\/+$/, '')}/${path}`;
    try {
      const response = await request(url, { method: 'GET', dispatcher: this.dispatcher, headers: { 'user-agent': 'nora-maven-cache' } });
      if (response.statusCode === 200) {
        const length = Number(response.headers['content-length']);
        return { status: 'found', upstream, url, body: response.body, ...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}) };
      }
      response.body.resume();
      if (response.statusCode === 404 || response.statusCode === 410) return { status: 'missing' };
      return { status: 'unreachable', reason: `${url} answered ${response.statusCode}` };
    } catch (error) {
      return { status: 'unreachable', reason: `${url}: ${(error as Error).message}` };
    }
  }

  /** First upstream, in configured order, that has `path`; `reasons` lists the unreachable ones. */
  async first(path: string): Promise<UpstreamAnswer> {
    const reasons: string[] = [];
    for (const upstream of this.upstreams) {
      const answer = await this.get(upstream, path);
      if (answer.status === 'found') return answer;
      if (answer.status === 'unreachable') reasons.push(answer.reason);
    }
    return reasons.length > 0 ? { status: 'unreachable', reason: reasons.join('; ') } : { status: 'missing' };
  }

  /** A small text file (checksum, metadata) from one upstream; too large counts as unreachable. */
  async text(upstream: string, path: string): Promise<UpstreamText> {
    const answer = await this.get(upstream, path);
    if (answer.status !== 'found') return answer;
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of answer.body) {
        size += (chunk as Buffer).length;
        if (size > TEXT_LIMIT) {
          answer.body.destroy();
          return { status: 'unreachable', reason: `${answer.url} is larger than ${TEXT_LIMIT} bytes` };
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      return { status: 'unreachable', reason: `${answer.url}: ${(error as Error).message}` };
    }
    return { status: 'found', upstream, text: Buffer.concat(chunks).toString('utf8') };
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
