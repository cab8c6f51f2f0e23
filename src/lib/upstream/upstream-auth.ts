// Credentials for one upstream registry: answers its WWW-Authenticate challenge with a Bearer
// token from its token service (scoped to the repository, anonymous or with the configured
// user) or with Basic credentials, and caches tokens until they expire. The password comes from
// the config, a file or an environment variable, read once at start; it is never logged.
// https://distribution.github.io/distribution/spec/auth/token/
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { Challenge } from './challenge.js';
import { UpstreamErrors } from './errors.js';
import type { UpstreamConfig } from './upstream-routes.js';

interface CachedToken { header: string; expires: number }

export class UpstreamAuth {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly basicHeader: string | undefined;
  private useBasic = false;

  constructor(private readonly upstream: UpstreamConfig, private readonly dispatcher: Dispatcher) {
    const password = upstream.password || (upstream.password_file ? readFileSync(upstream.password_file, 'utf8').split(/\r?\n/, 1)[0]! : '')
      || (upstream.password_env ? process.env[upstream.password_env] ?? '' : '');
    this.basicHeader = upstream.username ? `Basic ${Buffer.from(`${upstream.username}:${password}`).toString('base64')}` : undefined;
  }

  /** The Authorization header for requests in `scope`, when one is known and unexpired. */
  header(scope: string): string | undefined {
    if (this.useBasic) return this.basicHeader;
    const token = this.tokens.get(scope);
    if (token && token.expires > Date.now()) return token.header;
    this.tokens.delete(scope);
    return undefined;
  }

  /**
   * Answers a 401's challenge for `scope`; false when there is nothing (more) to try. Throws
   * DENIED when the token service refuses the credentials, UNAVAILABLE when it cannot be reached.
   */
  async answer(challenge: Challenge | undefined, scope: string): Promise<boolean> {
    if (!challenge) return false;
    if (challenge.scheme === 'basic') {
      if (!this.basicHeader || this.useBasic) return false;
      this.useBasic = true;
      return true;
    }
    const realm = challenge.params.realm;
    if (!realm) return false;
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', scope);
    const name = this.upstream.name;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { headers: this.basicHeader ? { authorization: this.basicHeader } : {}, dispatcher: this.dispatcher });
    } catch (error) {
      throw UpstreamErrors.UNAVAILABLE(name, `token service: ${(error as Error).message}`);
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      if (response.statusCode === 401 || response.statusCode === 403) throw UpstreamErrors.DENIED(name, response.statusCode);
      throw UpstreamErrors.UNAVAILABLE(name, `token service answered HTTP ${response.statusCode}`);
    }
    const body = await response.body.json() as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw UpstreamErrors.UNAVAILABLE(name, 'the token service answered without a token');
    // The token protocol's default lifetime is 60 s; renew a little early.
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    this.tokens.set(scope, { header: `Bearer ${token}`, expires: Date.now() + Math.max(1, lifetime - 5) * 1000 });
    return true;
  }
}
