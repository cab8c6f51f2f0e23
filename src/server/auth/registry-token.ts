// GET /auth/token, the Docker/OCI token service: the caller's Basic credentials (user or API
// token) or none, and the scopes asked for (`repository:<name>:pull,push`, `registry:catalog:*`)
// become a signed JWT whose `access` holds each scope intersected with what the caller may do.
// A scope whose name is not a valid repository name (a glob, a ':') is granted nothing.
// https://distribution.github.io/distribution/spec/auth/token/
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessRequest } from '../../lib/auth/access.js';
import { REGISTRY_AUDIENCE } from '../../lib/auth/auth-service.js';
import type { RegistryAccess } from '../../lib/auth/registry-keys.js';
import { isValidName } from '../../lib/oci/names.js';
import type { Services } from '../../lib/services.js';

const ACTIONS = new Set(['pull', 'push', 'delete']);

function scopesOf(request: FastifyRequest): string[] {
  const raw = (request.query as Record<string, string | string[] | undefined>).scope;
  return [raw ?? []].flat().flatMap((s) => s.split(' ')).filter(Boolean).slice(0, 100);
}

/** One scope, granted as far as the caller is allowed; undefined when malformed or unknown. */
async function grant(request: FastifyRequest, scope: string): Promise<RegistryAccess | undefined> {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const wanted = scope.slice(last + 1).split(',').flatMap((a) => (a === '*' ? ['pull', 'push', 'delete'] : [a]));
  if (type === 'registry' && name === 'catalog') {
    return (await request.allowed({ action: 'pull', format: 'oci', name: '' })) ? { type, name, actions: ['*'] } : { type, name, actions: [] };
  }
  // Only a valid repository name is granted: it is literal by construction (no glob syntax, no
  // ':'), so what was checked against the caller's globs is exactly what the JWT names.
  if (type !== 'repository' || !isValidName(name)) return undefined;
  const actions: string[] = [];
  for (const action of new Set(wanted)) {
    if (!ACTIONS.has(action)) continue;
    if (await request.allowed({ action: action as AccessRequest['action'], format: 'oci', name })) actions.push(action);
  }
  return { type, name, actions };
}

export function registryTokenRoute(app: FastifyInstance, services: Services): void {
  app.get('/auth/token', { config: { access: 'public' } }, async (request) => {
    const access = (await Promise.all(scopesOf(request).map((s) => grant(request, s)))).filter((a): a is RegistryAccess => a !== undefined);
    const ttl = services.config.auth.registry_token_ttl;
    const token = await services.auth.keys.sign(request.identity.name, access, ttl, REGISTRY_AUDIENCE);
    if (request.identity.kind !== 'anonymous') {
      void services.audit.write({ identity: request.identity.name, action: 'login', resource: 'oci', outcome: 'ok', address: request.clientAddress, request_id: request.id, detail: access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' ') });
    }
    return { token, access_token: token, expires_in: Math.floor(ttl / 1000), issued_at: new Date().toISOString() };
  });
}
