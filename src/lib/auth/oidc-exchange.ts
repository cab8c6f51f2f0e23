// CI OIDC token exchange: a GitHub Actions / GitLab CI ID token is verified against its
// provider (discovery, JWKS cached and refetched on an unknown `kid` after a cooldown, RS256 or
// ES256 only, iss/aud/exp/nbf/iat checked) and its claims matched against the provider's rules;
// the union of matching permissions becomes a short-lived NORA token.
import type { createRemoteJWKSet, JWTPayload } from 'jose';
import { loadJose } from './load-jose.js';
import picomatch from 'picomatch';
import { NoraError } from '../errors/nora-error.js';
import { AuthErrors } from './errors.js';

export interface OidcProvider {
  name: string;
  issuer: string;
  audience: string;
  rules: Array<{ match: Record<string, string>; permissions: string[] }>;
}

export interface ExchangeResult {
  provider: string;
  subject: string;
  permissions: string[];
}

const CLOCK_TOLERANCE_S = 30;

export class OidcExchanger {
  private readonly jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  /** Throws at start when a provider lacks its name, issuer or audience. */
  constructor(private readonly providers: OidcProvider[], private readonly cooldownMs = 30_000) {
    providers.forEach((p, i) => {
      const missing = (['name', 'issuer', 'audience'] as const).filter((k) => !p[k]);
      if (missing.length > 0) throw AuthErrors.CONFIG_INVALID(i, missing);
    });
  }

  private async keysOf(provider: OidcProvider): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const cached = this.jwks.get(provider.name);
    if (cached) return cached;
    const base = provider.issuer.replace(/\/$/, '');
    const response = await fetch(`${base}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new NoraError('UPSTREAM_UNAVAILABLE', 502, `OIDC discovery of provider "${provider.name}" failed: HTTP ${response.status}`);
    const discovery = (await response.json()) as { issuer?: string; jwks_uri?: string };
    if (discovery.issuer !== provider.issuer || typeof discovery.jwks_uri !== 'string') {
      throw new NoraError('UPSTREAM_UNAVAILABLE', 502, `OIDC discovery of provider "${provider.name}" names issuer "${discovery.issuer}" and no usable jwks_uri`);
    }
    const { createRemoteJWKSet } = await loadJose();
    const set = createRemoteJWKSet(new URL(discovery.jwks_uri), { cooldownDuration: this.cooldownMs, cacheMaxAge: 10 * 60_000 });
    this.jwks.set(provider.name, set);
    return set;
  }

  async exchange(idToken: string): Promise<ExchangeResult> {
    const { decodeJwt, jwtVerify } = await loadJose();
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(idToken);
    } catch {
      throw new NoraError('UNAUTHORIZED', 401, 'the OIDC token is not a JWT');
    }
    const provider = this.providers.find((p) => p.issuer === unverified.iss);
    if (!provider) throw new NoraError('UNAUTHORIZED', 401, `no OIDC provider is configured for issuer "${String(unverified.iss)}"`);
    let claims: JWTPayload;
    try {
      const keys = await this.keysOf(provider);
      ({ payload: claims } = await jwtVerify(idToken, keys, {
        issuer: provider.issuer, audience: provider.audience, algorithms: ['RS256', 'ES256'],
        clockTolerance: CLOCK_TOLERANCE_S, requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof NoraError) throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw new NoraError('UNAUTHORIZED', 401, `the OIDC token of provider "${provider.name}" was refused: ${why}`);
    }
    if (typeof claims.iat === 'number' && claims.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) {
      throw new NoraError('UNAUTHORIZED', 401, `the OIDC token of provider "${provider.name}" was issued in the future`);
    }
    const matching = provider.rules.filter((rule) => Object.entries(rule.match).every(([claim, glob]) => {
      const value = claims[claim];
      return (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && picomatch.isMatch(String(value), glob, { dot: true });
    }));
    if (matching.length === 0) {
      const checked = [...new Set(provider.rules.flatMap((r) => Object.keys(r.match)))];
      const shown = checked.map((c) => `${c}=${JSON.stringify(claims[c] ?? null)}`).join(', ');
      throw new NoraError('DENIED', 403, `no rule of OIDC provider "${provider.name}" matches this token (claims checked: ${shown || 'none'})`);
    }
    const permissions = [...new Set(matching.flatMap((r) => r.permissions))];
    return { provider: provider.name, subject: String(claims.sub ?? 'unknown'), permissions };
  }
}
