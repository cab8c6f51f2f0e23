// Decides, per repository name, whether a request is served locally or through an upstream: a
// repository that was pushed here always wins; otherwise the matching upstream serves it. Pushes
// to a name that is served from an upstream (already cached from it, or in a prefix upstream's
// namespace) are refused unless that upstream allows them.
import type { Catalog } from '../catalog.js';
import { OciErrors } from '../errors.js';
import type { CacheRecords } from './cache-records.js';
import type { UpstreamRoutes, UpstreamTarget } from './upstream-routes.js';

export class UpstreamResolver {
  constructor(
    private readonly routes: UpstreamRoutes,
    private readonly catalog: Catalog,
    readonly records: CacheRecords,
  ) {}

  /** The upstream serving `name`, or undefined when it is local (or no upstream matches). */
  async target(name: string): Promise<UpstreamTarget | undefined> {
    const route = this.routes.route(name);
    if (!route) return undefined;
    if (await this.records.isCached(name)) return route;
    return (await this.catalog.has(name)) ? undefined : route;
  }

  /** PUSH_REFUSED when `name` is served from an upstream that does not allow pushes. */
  async assertPushable(name: string): Promise<void> {
    const route = this.routes.route(name);
    if (!route || route.upstream.allow_push) return;
    if (await this.records.isCached(name)) throw OciErrors.PUSH_REFUSED(name, route.upstream.name);
    if (this.routes.isPrefixed(name) && !(await this.catalog.has(name))) throw OciErrors.PUSH_REFUSED(name, route.upstream.name);
  }
}
