// What every OCI resource handler gets: the domain services, the config, and the parsed path.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NoraConfig } from '../../lib/config/schema.js';
import type { EventBus } from '../../lib/events/bus.js';
import type { OciRegistry } from '../../lib/oci/registry.js';
import type { TenantService } from '../../lib/tenants/tenant-service.js';
import { OciErrors } from '../../lib/oci/errors.js';
import type { OciPath } from './router.js';

export interface OciContext {
  registry: OciRegistry;
  config: NoraConfig;
  events: EventBus;
  /** Tenants' hourly pull limits (a manifest GET is one pull). */
  tenants: Pick<TenantService, 'admitPull'>;
}

export type ResourceOf<R extends OciPath['resource']> = Extract<OciPath, { resource: R }>;

export type OciHandler<R extends OciPath['resource']> = (
  ctx: OciContext, path: ResourceOf<R>, request: FastifyRequest, reply: FastifyReply,
) => Promise<unknown>;

/** Handlers of one resource by HTTP method. */
export type ResourceHandlers<R extends OciPath['resource']> = Partial<Record<string, OciHandler<R>>>;

/** The caller's name for events, when known. */
export const actorOf = (request: FastifyRequest): string | undefined =>
  request.identity && request.identity.kind !== 'anonymous' ? request.identity.name : undefined;

/** UNSUPPORTED when docker.delete_enabled is false. */
export function assertDeleteEnabled(ctx: OciContext): void {
  if (!ctx.config.docker.delete_enabled) throw OciErrors.UNSUPPORTED('deletes are disabled on this registry (docker.delete_enabled = false)');
}
