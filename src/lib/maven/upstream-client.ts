// The configured upstream Maven repositories, each through the upstream kit's client: a file as a
// stream, small text files (checksums, metadata) read whole with a size cap. "Missing" (404/410)
// and "unreachable" (network error, timeout, 5xx, refused credentials) are kept apart: only the
// first may be remembered in the negative cache.
import type { UpstreamSettings } from '../config/upstream-fields.js';
import { UpstreamClient, type UpstreamReply } from '../upstream/client.js';
import { failureLine, isTimeout, phrased, UpstreamErrors } from '../upstream/errors.js';
import type { CacheMeter, UpstreamMetrics } from '../upstream/metrics.js';

export type UpstreamAnswer =
  | { status: 'found'; upstream: UpstreamClient; reply: UpstreamReply; size?: number }
  | { status: 'missing' }
  | { status: 'unreachable'; reason: string; timedOut: boolean };

export type UpstreamText = { status: 'found'; text: string } | Exclude<UpstreamAnswer, { status: 'found' }>;

const TEXT_LIMIT = 4 * 1024 * 1024;

const noneAnswered = (path: string, reasons: string, _upstreams: string[]) => `${path} is not cached and no upstream repository answered: ${reasons}`;
const noneAnsweredDetail = (path: string, reasons: string, upstreams: string[]) => ({ path, reason: reasons, upstreams });
const unavailable = phrased(UpstreamErrors.UNAVAILABLE, noneAnswered, noneAnsweredDetail);
const timedOut = phrased(UpstreamErrors.TIMEOUT, noneAnswered, noneAnsweredDetail);

/** Nothing cached and every upstream failed (Maven prints this line): a timeout when each of them timed out. */
export const upstreamUnavailable = (path: string, answer: { reason: string; timedOut: boolean }, upstreams: string[]) =>
  (answer.timedOut ? timedOut : unavailable)(path, answer.reason, upstreams);

/** An upstream file that does not match the checksum the upstream publishes for it. */
export const upstreamChecksum = phrased(UpstreamErrors.INTEGRITY,
  (url: string, algorithm: string, expected: string, actual: string) => `upstream file ${url} does not match its published ${algorithm} (${expected}); it hashes to ${actual} and was not cached`,
  (url: string, algorithm: string, expected: string, actual: string) => ({ url, algorithm, expected, actual }));

/** Several upstreams' failures as one: every reason, timed out when each of them did. */
export const unreachable = (failed: Array<{ reason: string; timedOut: boolean }>): Extract<UpstreamAnswer, { status: 'unreachable' }> =>
  ({ status: 'unreachable', reason: failed.map((f) => f.reason).join('; '), timedOut: failed.every((f) => f.timedOut) });

export class MavenUpstreams {
  readonly clients: UpstreamClient[];
  /** Cache lookups of the maven format (absent without metrics). */
  readonly cache: CacheMeter | undefined;

  constructor(upstreams: UpstreamSettings[], metrics?: UpstreamMetrics) {
    this.clients = upstreams.map((settings) => new UpstreamClient(settings, { metrics }));
    this.cache = metrics?.cache('maven');
  }

  /** The name of the upstream whose base URL is `base` (a cached file records it). */
  nameOf(base: string | undefined): string {
    return this.clients.find((c) => c.base === base)?.name ?? 'unknown';
  }

  /** Metadata merges every upstream's answer: its lookups are labelled with all their names. */
  get mergedName(): string {
    return this.clients.map((c) => c.name).join('+');
  }

  /** The upstreams' base URLs (without credentials), in order. */
  get bases(): string[] {
    return this.clients.map((c) => c.base);
  }

  /** GETs `path` from one upstream. */
  async get(client: UpstreamClient, path: string): Promise<UpstreamAnswer> {
    const url = client.url(path);
    try {
      const reply = await client.request(url);
      if (reply.status === 200) {
        const length = Number(reply.headers['content-length']);
        return { status: 'found', upstream: client, reply, ...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}) };
      }
      reply.body.resume();
      if (reply.status === 404 || reply.status === 410) return { status: 'missing' };
      return { status: 'unreachable', reason: `${reply.url} answered ${reply.status}`, timedOut: false };
    } catch (error) {
      return { status: 'unreachable', reason: failureLine(error, client.site(url).url!), timedOut: isTimeout(error) };
    }
  }

  /** First upstream, in configured order, that has `path`; `reason` lists the unreachable ones. */
  async first(path: string): Promise<UpstreamAnswer> {
    const failed: Array<{ reason: string; timedOut: boolean }> = [];
    for (const client of this.clients) {
      const answer = await this.get(client, path);
      if (answer.status === 'found') return answer;
      if (answer.status === 'unreachable') failed.push(answer);
    }
    return failed.length > 0 ? unreachable(failed) : { status: 'missing' };
  }

  /** A small text file (checksum, metadata) from one upstream; too large counts as unreachable. */
  async text(client: UpstreamClient, path: string): Promise<UpstreamText> {
    const answer = await this.get(client, path);
    if (answer.status !== 'found') return answer;
    try {
      return { status: 'found', text: (await client.read(answer.reply, TEXT_LIMIT, answer.reply.url)).toString('utf8') };
    } catch (error) {
      return { status: 'unreachable', reason: failureLine(error, answer.reply.url), timedOut: isTimeout(error) };
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }
}
