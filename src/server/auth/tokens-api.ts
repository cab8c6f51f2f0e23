// /api/tokens: the caller's API tokens. GET lists them (an admin of "nora" lists everyone's with
// ?all=1), POST {"name", "permissions"?, "expires_in"? (seconds, 0 = never)} creates one and shows
// it once, DELETE /api/tokens/<id> revokes it (the caller's own, or any for an admin).
// The work is token-actions.ts, shared with the UI's tokens page.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../lib/services.js';
import { createToken, listTokens, revokeToken } from '../core/token-actions.js';

export function tokensApi(app: FastifyInstance, services: Services): void {
  app.get('/api/tokens', { config: { access: 'public' } }, async (request) => {
    return { tokens: await listTokens(services, request, (request.query as { all?: string }).all === '1') };
  });

  app.post('/api/tokens', { config: { access: 'public' } }, async (request, reply) => {
    const { token, record } = await createToken(services, request, (request.body ?? {}));
    return reply.code(201).send({ token, ...record });
  });

  app.delete('/api/tokens/:id', { config: { access: 'public' } }, async (request, reply) => {
    const revoked = await revokeToken(services, request, (request.params as { id: string }).id);
    return reply.code(200).send({ revoked: revoked.id });
  });
}
