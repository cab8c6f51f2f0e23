// npm sessions: GET /npm/-/ping (`npm ping`), GET /npm/-/whoami (`npm whoami`), and the CouchDB
// style login `npm login` / `npm adduser` use — PUT /npm/-/user/org.couchdb.user:<name> with
// {name, password} checked against the htpasswd users, answered with a fresh API token — and
// DELETE /npm/-/user/token/<token> (`npm logout`), which revokes it.
import type { FastifyInstance } from 'fastify';
import { AuthErrors } from '../../lib/auth/errors.js';
import { issueToken } from '../../lib/auth/token-issuer.js';
import { NpmErrors } from '../../lib/npm/errors.js';
import type { NpmRouteContext } from './route-context.js';

export function registerSessionRoutes(app: FastifyInstance, { services }: NpmRouteContext): void {
  const { auth, audit } = services;
  app.get('/-/ping', { config: { access: 'public' } }, async () => ({}));
  app.get('/-/whoami', { config: { access: 'public' } }, async (request) => {
    if (request.identity.kind === 'anonymous') throw NpmErrors.UNAUTHENTICATED();
    return { username: request.identity.name };
  });

  app.put('/-/user/*', { config: { access: 'public', ownCredentials: true } }, async (request, reply) => {
    if (!auth.enabled) throw NpmErrors.UNAUTHENTICATED();
    const body = (request.body ?? {}) as { name?: unknown; password?: unknown };
    // The router has already percent-decoded the wildcard: decoding again would misread "%25" and throw on "%c0".
    const name = typeof body.name === 'string' ? body.name : (request.params as { '*': string })['*'].replace(/^org\.couchdb\.user:/, '');
    if (typeof body.password !== 'string') throw AuthErrors.UNAUTHORIZED('send {"name", "password"}');
    const identity = await auth.login(name, body.password, request.clientAddress);
    const base = { identity: name, action: 'login', resource: 'npm', address: request.clientAddress, request_id: request.id };
    if (!identity) {
      void audit.write({ ...base, outcome: 'failed' });
      throw AuthErrors.UNAUTHORIZED(`wrong user name or password for "${name}" (NORA does not create users: ask for an htpasswd entry)`);
    }
    const { token, record } = await issueToken(auth, identity, { name: 'npm-login' });
    void audit.write({ ...base, outcome: 'ok', detail: `token ${record.id}` });
    return reply.code(201).send({ ok: true, id: `org.couchdb.user:${name}`, token });
  });

  app.delete('/-/user/token/*', { config: { access: 'public' } }, async (request) => {
    const token = (request.params as { '*': string })['*'];
    const revoked = request.identity.kind !== 'anonymous' ? await auth.tokens.revoke(token, request.identity.name) : undefined;
    if (!revoked) throw AuthErrors.UNAUTHORIZED('no such token of yours');
    void audit.write({ identity: request.identity.name, action: 'token-revoke', resource: 'npm', outcome: 'ok', detail: revoked.id, address: request.clientAddress, request_id: request.id });
    return { ok: true };
  });
}
