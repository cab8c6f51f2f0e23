// What the npm route files share: the registry facade, the services and the public URL.
import type { NpmApi } from '../../lib/npm/npm-registry.js';
import type { Services } from '../../lib/services.js';

export interface NpmRouteContext {
  registry: NpmApi;
  services: Services;
}
