// GET /npm/-/ping (`npm ping`) and GET /npm/-/whoami (`npm whoami`). Without authentication
// there is nobody to name: whoami answers 401 in npm's shape until access control exists.
import type { FastifyInstance } from 'fastify';
import { NpmErrors } from '../../lib/npm/errors.js';

export function registerSessionRoutes(app: FastifyInstance): void {
  app.get('/-/ping', { config: { access: 'public' } }, async () => ({}));
  app.get('/-/whoami', { config: { access: 'public' } }, async (request) => {
    if (request.identity.kind === 'anonymous') throw NpmErrors.UNAUTHENTICATED();
    return { username: request.identity.name };
  });
}
