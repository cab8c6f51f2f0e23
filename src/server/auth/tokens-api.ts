// /api/tokens: the caller's API tokens. GET lists them (an admin of "nora" lists everyone's with
// ?all=1), POST {"name", "permissions"?, "expires_in"? (seconds, 0 = never)} creates one and shows
// it once, DELETE /api/tokens/<id> revokes it (the caller's own, or any for an admin).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthErrors } from '../../lib/auth/errors.js';
import { issueToken } from '../../lib/auth/token-issuer.js';
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { Services } from '../../lib/services.js';

export function tokensApi(app: FastifyInstance, services: Services): void {
  const { auth, audit } = services;
  const signedIn = (request: FastifyRequest) => {
    if (request.identity.kind === 'anonymous') throw AuthErrors.UNAUTHORIZED('log in (Basic or Bearer) to manage tokens');
  };
  const isAdmin = (request: FastifyRequest) => request.allowed({ action: 'admin', format: 'nora', name: 'tokens' });
  const entry = (request: FastifyRequest, action: string, outcome: 'ok' | 'denied', detail: string) =>
    void audit.write({ identity: request.identity.name, action, resource: 'nora:tokens', outcome, detail, address: request.clientAddress, request_id: request.id });

  app.get('/api/tokens', { config: { access: 'public' } }, async (request) => {
    signedIn(request);
    const all = (request.query as { all?: string }).all === '1' && (await isAdmin(request));
    return { tokens: await auth.tokens.list(all ? undefined : request.identity.name) };
  });

  app.post('/api/tokens', { config: { access: 'public' } }, async (request, reply) => {
    signedIn(request);
    const body = (request.body ?? {}) as { name?: unknown; permissions?: unknown; expires_in?: unknown };
    if (typeof body.name !== 'string' || !/^[\w.@-]{1,64}$/.test(body.name)) throw AuthErrors.BAD_TOKEN_REQUEST('"name" must be 1-64 letters, digits, . _ @ -');
    if (body.permissions !== undefined && !(Array.isArray(body.permissions) && body.permissions.every((p) => typeof p === 'string'))) throw AuthErrors.BAD_TOKEN_REQUEST('"permissions" must be an array of strings');
    if (body.expires_in !== undefined && !(typeof body.expires_in === 'number' && Number.isInteger(body.expires_in) && body.expires_in >= 0)) throw AuthErrors.BAD_TOKEN_REQUEST('"expires_in" must be whole seconds (0 = never)');
    const { token, record } = await issueToken(auth, request.identity, {
      name: body.name, ...(body.permissions ? { permissions: body.permissions } : {}),
      ...(typeof body.expires_in === 'number' ? { ttlMs: body.expires_in * 1000 } : {}),
    });
    entry(request, 'token-create', 'ok', `${record.id} ${record.name}`);
    return reply.code(201).send({ token, ...record });
  });

  app.delete('/api/tokens/:id', { config: { access: 'public' } }, async (request, reply) => {
    signedIn(request);
    const { id } = request.params as { id: string };
    const revoked = await auth.tokens.revoke(id, (await isAdmin(request)) ? undefined : request.identity.name);
    if (!revoked) throw CommonErrors.NOT_FOUND(`token ${id}`);
    entry(request, 'token-revoke', 'ok', `${revoked.id} ${revoked.name}`);
    return reply.code(200).send({ revoked: revoked.id });
  });
}
