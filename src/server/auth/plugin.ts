// NORA's own access-control endpoints: the OCI token service (/auth/token), the CI OIDC exchange
// (/auth/oidc/token) and API token management (/api/tokens). Errors use NORA's JSON shape.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../lib/services.js';
import { oidcTokenRoute } from './oidc-route.js';
import { registryTokenRoute } from './registry-token.js';
import { tokensApi } from './tokens-api.js';

export async function authRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  registryTokenRoute(app, services);
  oidcTokenRoute(app, services);
  tokensApi(app, services);
}
