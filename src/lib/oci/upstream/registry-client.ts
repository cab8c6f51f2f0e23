// One upstream OCI registry over the upstream kit's client: HEAD and GET of
// <url>/v2/<remote>/<path>, authorized for the repository with the Docker token protocol (see
// token-auth.ts). Answers 2xx and 404; every other outcome throws an UpstreamErrors entry that
// names the upstream by its configured name and URL.
// https://distribution.github.io/distribution/spec/api/
import { UpstreamClient, type UpstreamReply } from '../../upstream/client.js';
import type { UpstreamMetrics } from '../../upstream/metrics.js';
import { TokenAuth } from './token-auth.js';
import type { UpstreamConfig } from './upstream-routes.js';

export class RegistryClient {
  readonly name: string;
  private readonly client: UpstreamClient;

  constructor(upstream: UpstreamConfig, metrics: UpstreamMetrics | undefined) {
    this.name = upstream.name;
    this.client = new UpstreamClient(upstream, { metrics, label: () => `${upstream.name} (${this.client.base})`, authorizer: (client) => new TokenAuth(client) });
  }

  /** HEAD or GET <url>/v2/<remote>/<path>; 2xx and 404 are answered, anything else thrown. */
  async send(method: 'GET' | 'HEAD', remote: string, path: string, accept?: string): Promise<UpstreamReply> {
    const reply = await this.client.request(this.client.url(`v2/${remote}/${path}`), { method, scope: `repository:${remote}:pull`, ...(accept ? { headers: { accept } } : {}) });
    if (reply.status >= 300 && reply.status !== 404) throw this.client.unexpected(reply);
    return reply;
  }

  /** A small body (a manifest) read whole, at most `limit` bytes. */
  read(reply: UpstreamReply, limit: number, what: string): Promise<Buffer> {
    return this.client.read(reply, limit, what);
  }

  /** The UpstreamErrors entry for a failure of this upstream's body or bytes. */
  failure(error: unknown): Error {
    return this.client.failure(error);
  }

  /** The upstream as errors name it. */
  site(): ReturnType<UpstreamClient['site']> {
    return this.client.site();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
