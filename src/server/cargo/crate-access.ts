// A crate named in a URL is found up to case, - and _ (crates.io's canonical name), but access
// rules match the spelling they name. When the URL spells a crate otherwise, the caller must
// also hold the route's access on the crate's own name, or `delete:cargo:team_*` would reach
// the crate `team-core` through /crates/team_core/.
import type { FastifyRequest } from 'fastify';
import type { CargoService } from '../../lib/cargo/cargo-service.js';
import { CargoErrors } from '../../lib/cargo/errors.js';

export interface VersionParams { name: string; version: string }
export const crateParam = (request: FastifyRequest): string => (request.params as { name: string }).name;

/** Throws 401/403 unless the caller holds the route's access on `name` too (when the URL spells it otherwise). */
export async function authorizeCanonical(request: FastifyRequest, name: string): Promise<void> {
  if (name !== crateParam(request)) await request.authorize(request.access.map((a) => ({ ...a, name })));
}

/** The canonical name of the URL's crate, once the caller may act on it; CRATE_NOT_FOUND when there is none. */
export async function canonicalCrate(request: FastifyRequest, cargo: CargoService): Promise<string> {
  const asked = crateParam(request);
  const name = await cargo.canonicalName(asked);
  if (!name) throw CargoErrors.CRATE_NOT_FOUND(asked);
  await authorizeCanonical(request, name);
  return name;
}
