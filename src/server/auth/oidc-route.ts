// POST /auth/oidc/token: a CI job's OIDC ID token (JSON `{"token": ...}` or `Authorization:
// Bearer`) exchanged for a short-lived NORA token, answered as
// `{"token": "nra_...", "expires_in": 900, "permissions": [...]}`. Failures count against the
// caller's address like failed logins.
import type { FastifyInstance } from 'fastify';
import { AuthErrors } from '../../lib/auth/errors.js';
import { isNoraError } from '../../lib/errors/nora-error.js';
import type { Services } from '../../lib/services.js';

export function oidcTokenRoute(app: FastifyInstance, services: Services): void {
  const { auth, audit } = services;
  app.post('/auth/oidc/token', { config: { access: 'public', ownCredentials: true } }, async (request) => {
    const body = request.body as { token?: unknown } | undefined;
    const header = request.headers.authorization ?? '';
    const idToken = typeof body?.token === 'string' ? body.token : /^bearer /i.test(header) ? header.slice(7).trim() : '';
    if (!idToken) throw AuthErrors.UNAUTHORIZED('send the CI\'s OIDC ID token as {"token": "..."} or Authorization: Bearer');
    const base = { action: 'oidc-exchange', address: request.clientAddress, request_id: request.id };
    let failure: unknown;
    const result = await auth.throttled({ address: request.clientAddress }, async () => {
      try {
        return await auth.oidc.exchange(idToken);
      } catch (error) {
        failure = error;
        return undefined;
      }
    });
    if (!result) {
      void audit.write({ ...base, identity: 'unknown', outcome: 'denied', detail: isNoraError(failure) ? failure.message : 'exchange failed' });
      throw failure;
    }
    const ttl = services.config.auth.oidc.exchange_ttl;
    const owner = `oidc:${result.provider}:${result.subject}`;
    const { token } = await auth.tokens.create({ name: `oidc-${result.provider}`, owner, permissions: result.permissions, ttlMs: ttl, ownerRules: false });
    void audit.write({ ...base, identity: owner, outcome: 'ok', detail: result.permissions.join(' ') });
    return { token, expires_in: Math.floor(ttl / 1000), permissions: result.permissions };
  });
}
