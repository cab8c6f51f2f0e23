// Every route declares the access it needs (`config.access`), and one hook asks the authorizer
// before the handler runs (and before any request body is read). A route without a declaration
// fails at startup, so nothing is reachable by accident.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ANONYMOUS, type AccessRequest, type Identity } from '../../lib/auth/access.js';
import type { Authorizer } from '../../lib/auth/access.js';
import { NoraError } from '../../lib/errors/nora-error.js';

/** 'public' for endpoints anyone may call (health, /v2/ ping); otherwise what the request needs. */
export type RouteAccess = 'public' | ((request: FastifyRequest) => AccessRequest | AccessRequest[]);

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    identity: Identity;
    /** What the route required, once decided; protocol handlers reuse it for events and audit. */
    access: AccessRequest[];
  }
}

export interface RouteAccessOptions {
  authorizer: Authorizer;
  /** Who is calling; anonymous until access control resolves credentials. */
  identify?: (request: FastifyRequest) => Promise<Identity>;
}

export function registerRouteAccess(app: FastifyInstance, { authorizer, identify }: RouteAccessOptions): void {
  app.decorateRequest('identity', null as unknown as Identity);
  app.decorateRequest('access', null as unknown as AccessRequest[]);
  app.addHook('onRoute', (route) => {
    if (!route.config?.access) throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
  });
  app.addHook('onRequest', async (request) => {
    request.identity = identify ? await identify(request) : ANONYMOUS;
    request.access = [];
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return;
    const requests = [access(request)].flat();
    request.access = requests;
    if (!(await authorizer.authorize(request.identity, requests))) {
      const what = requests.map((r) => `${r.action} on ${r.format}:${r.name || '*'}`).join(', ');
      throw new NoraError('DENIED', 403, `${request.identity.name} may not ${what}`);
    }
  });
}
