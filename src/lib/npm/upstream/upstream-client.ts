// The upstream npm registry through the upstream kit's client: packuments (conditional on their
// ETag), tarball streams and forwarded requests (search, audit). Failures are the kit's errors,
// naming the upstream as "registry <url>" as npm users read it; callers decide whether something
// cached can be served instead.
import type { UpstreamSettings } from '../../config/upstream-fields.js';
import { UpstreamClient, type UpstreamReply } from '../../upstream/client.js';
import { phrased, UpstreamErrors } from '../../upstream/errors.js';
import type { UpstreamMetrics } from '../../upstream/metrics.js';
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

/** The largest packument or forwarded answer read from the upstream (some packuments are ~100 MB). */
const MAX_DOCUMENT = 256 * 1024 * 1024;

/** A tarball that does not match the integrity its packument publishes. */
export const upstreamIntegrity = phrased(UpstreamErrors.INTEGRITY,
  (upstream: string, file: string) => `upstream registry ${upstream} sent ${file} with content that does not match its published integrity; refused and not cached`,
  (upstream: string, file: string) => ({ upstream, file }));

export class NpmUpstream {
  readonly client: UpstreamClient;

  constructor(settings: UpstreamSettings, metrics?: UpstreamMetrics) {
    this.client = new UpstreamClient(settings, { metrics, label: () => `registry ${this.client.base}` });
  }

  get base(): string {
    return this.client.base;
  }

  /** GET <upstream>/<escaped name>, conditional on `etag`. */
  async packument(escapedName: string, etag?: string): Promise<PackumentFetch> {
    const reply = await this.client.request(this.client.url(escapedName), { headers: { accept: 'application/json', ...(etag ? { 'if-none-match': etag } : {}) } });
    if (reply.status === 304 || reply.status === 404) { reply.body.resume(); return { status: reply.status }; }
    if (reply.status !== 200) throw this.client.unexpected(reply, `status ${reply.status} for ${escapedName}`);
    let packument: Packument;
    try {
      packument = JSON.parse((await this.client.read(reply, MAX_DOCUMENT, 'a packument')).toString('utf8')) as Packument;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw UpstreamErrors.UNAVAILABLE(this.client.site(reply.url), `invalid JSON for ${escapedName}`);
    }
    if (typeof packument !== 'object' || packument === null || typeof packument.versions !== 'object' || packument.versions === null) {
      throw UpstreamErrors.UNAVAILABLE(this.client.site(reply.url), `no versions in the packument of ${escapedName}`);
    }
    packument['dist-tags'] ??= {};
    packument.time ??= {};
    const tag = reply.headers.etag;
    return { status: 200, packument, ...(typeof tag === 'string' ? { etag: tag } : {}) };
  }

  /** Opens a tarball stream; 404s are the caller's to name. */
  tarball(url: string): Promise<UpstreamReply> {
    return this.client.request(url, { headers: { accept: 'application/octet-stream' } });
  }

  /** Forwards a request (search, audit) and returns the whole answer. */
  async forward(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: Buffer): Promise<UpstreamResponse> {
    const reply = await this.client.request(`${this.client.base}${path}`, { method, headers, ...(body ? { body } : {}) });
    return { status: reply.status, headers: reply.headers, body: await this.client.read(reply, MAX_DOCUMENT, 'an answer') };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
