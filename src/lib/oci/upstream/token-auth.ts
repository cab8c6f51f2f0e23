// How NORA authorizes to an upstream OCI registry: it answers the registry's WWW-Authenticate
// challenge with a Bearer token from its token service (scoped to the repository, anonymous or
// with the configured user) or, for a Basic challenge, with the configured credentials; tokens
// are cached until they expire. Credentials are never sent before a challenge asks for them.
// https://distribution.github.io/distribution/spec/auth/token/
import type { Dispatcher } from 'undici';
import type { UpstreamAuthorizer, UpstreamClient } from '../../upstream/client.js';
import { UpstreamErrors } from '../../upstream/errors.js';
import { loadUndici } from '../../upstream/load-undici.js';
import { parseChallenge } from './challenge.js';

interface CachedToken { header: string; expires: number }

export class TokenAuth implements UpstreamAuthorizer {
  private readonly tokens = new Map<string, CachedToken>();
  private useBasic = false;

  constructor(private readonly client: UpstreamClient, private readonly now: () => number = Date.now) {}

  /** The Authorization header for requests in `scope`, when one is known and unexpired. */
  header(scope: string | undefined): string | undefined {
    if (this.useBasic) return this.client.credentials.basic;
    const token = this.tokens.get(scope ?? '');
    if (token && token.expires > this.now()) return token.header;
    this.tokens.delete(scope ?? '');
    return undefined;
  }

  /**
   * Answers a 401's challenge for `scope`; false when there is nothing (more) to try. Throws
   * DENIED when the token service refuses the credentials, UNAVAILABLE when it cannot be reached.
   */
  async answer(header: string | string[] | undefined, scope: string | undefined): Promise<boolean> {
    const challenge = parseChallenge(header);
    if (!challenge) return false;
    const basic = this.client.credentials.basic;
    if (challenge.scheme === 'basic') {
      if (!basic || this.useBasic) return false;
      this.useBasic = true;
      return true;
    }
    const realm = challenge.params.realm;
    if (!realm) return false;
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    if (scope) url.searchParams.set('scope', scope);
    const site = this.client.site();
    let response: Dispatcher.ResponseData;
    try {
      const { request } = await loadUndici();
      response = await request(url, { headers: basic ? { authorization: basic } : {}, dispatcher: await this.client.dispatcher() });
    } catch (error) {
      throw UpstreamErrors.UNAVAILABLE(site, `token service: ${(error as Error).message}`);
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      if (response.statusCode === 401 || response.statusCode === 403) throw UpstreamErrors.DENIED(site, response.statusCode);
      throw UpstreamErrors.UNAVAILABLE(site, `token service answered status ${response.statusCode}`);
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = await response.body.json() as typeof body;
    } catch {
      throw UpstreamErrors.UNAVAILABLE(site, 'the token service answered with something that is not JSON');
    }
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw UpstreamErrors.UNAVAILABLE(site, 'the token service answered without a token');
    // The token protocol's default lifetime is 60 s; renew a little early.
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    this.tokens.set(scope ?? '', { header: `Bearer ${token}`, expires: this.now() + Math.max(1, lifetime - 5) * 1000 });
    return true;
  }
}
