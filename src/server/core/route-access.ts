// Every route declares the access it needs (`config.access`), and one hook asks the authorizer
// before the handler runs (and before any request body is read). A route without a declaration
// fails at startup, so nothing is reachable by accident. An anonymous caller who is refused gets
// 401 (each protocol's renderer adds its challenge); a known caller gets 403 DENIED.
// Handlers that learn a name only from the body ask again with `request.authorize()`; listings
// filter what they show with `request.allowed()`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ANONYMOUS, type AccessRequest, type Identity } from '../../lib/auth/access.js';
import type { Authorizer } from '../../lib/auth/access.js';
import { AuthErrors } from '../../lib/auth/errors.js';

/** 'public' for endpoints anyone may call (health, /v2/ ping); otherwise what the request needs. */
export type RouteAccess = 'public' | ((request: FastifyRequest) => AccessRequest | AccessRequest[]);

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** The route reads credentials itself (a login or token exchange): the header is not checked. */
    ownCredentials?: boolean;
  }
  interface FastifyRequest {
    identity: Identity;
    /** What the route required, once decided; protocol handlers reuse it for events and audit. */
    access: AccessRequest[];
    /** Throws 401/403 unless the caller may do every one of `requests` (names known late). */
    authorize(requests: AccessRequest | AccessRequest[]): Promise<void>;
    /** Whether the caller may do every one of `requests` (for filtering listings). */
    allowed(requests: AccessRequest | AccessRequest[]): Promise<boolean>;
  }
}

export interface RouteAccessOptions {
  authorizer: Authorizer;
  /** Who is calling; anonymous until access control resolves credentials. */
  identify?: (request: FastifyRequest) => Promise<Identity>;
}

/** The refusal for `identity`: 401 for anonymous (so clients send credentials), else 403. */
export function refusal(identity: Identity, requests: AccessRequest[]): Error {
  const what = requests.map((r) => `${r.action} on ${r.format}:${r.name || '*'}`).join(', ');
  if (identity.kind === 'anonymous') return AuthErrors.UNAUTHORIZED(`anonymous may not ${what}`);
  return AuthErrors.DENIED(identity.name, what);
}

export function registerRouteAccess(app: FastifyInstance, { authorizer, identify }: RouteAccessOptions): void {
  app.decorateRequest('identity', null as unknown as Identity);
  app.decorateRequest('access', null as unknown as AccessRequest[]);
  app.decorateRequest('allowed', async function allowed(this: FastifyRequest, requests: AccessRequest | AccessRequest[]) {
    return authorizer.authorize(this.identity, [requests].flat());
  });
  app.decorateRequest('authorize', async function authorize(this: FastifyRequest, requests: AccessRequest | AccessRequest[]) {
    const list = [requests].flat();
    if (!(await authorizer.authorize(this.identity, list))) throw refusal(this.identity, list);
  });
  app.addHook('onRoute', (route) => {
    if (!route.config?.access) throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
  });
  app.addHook('onRequest', async (request) => {
    request.identity = ANONYMOUS;
    request.access = [];
    const access = request.routeOptions.config?.access;
    if (access && access !== 'public') request.access = [access(request)].flat();
    if (identify && !request.routeOptions.config?.ownCredentials) request.identity = await identify(request);
    if (!access || access === 'public') return;
    if (!(await authorizer.authorize(request.identity, request.access))) throw refusal(request.identity, request.access);
  });
}
