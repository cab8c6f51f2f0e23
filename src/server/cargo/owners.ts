// GET/PUT/DELETE /cargo/api/v1/crates/<name>/owners
// (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#owners-list): list answers
// {"users":[...]}, changes take {"users":["login"]} (JSON, with or without a Content-Type)
// and answer {"ok":true,"msg":...}. Changing owners needs admin on the crate.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CargoErrors } from '../../lib/cargo/errors.js';
import { parseOwnerLogins } from '../../lib/cargo/owners.js';
import { readBoundedBody } from '../core/request-body.js';
import { canonicalCrate, crateParam } from './crate-access.js';
import type { CargoRouteContext } from './route-context.js';

const MAX_BODY = 64 * 1024;

async function readJson(request: FastifyRequest): Promise<unknown> {
  const body = await readBoundedBody(request, MAX_BODY, 'owners request');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw CargoErrors.INVALID_METADATA('the body is not JSON');
  }
}

export async function ownerRoutes(app: FastifyInstance, { cargo }: CargoRouteContext): Promise<void> {
  const admin = { config: { access: (request: FastifyRequest) => ({ action: 'admin' as const, format: 'cargo', name: crateParam(request) }) } };

  app.get('/api/v1/crates/:name/owners', { config: { access: (request) => ({ action: 'pull', format: 'cargo', name: crateParam(request) }) } },
    async (request) => ({ users: await cargo.owners(await canonicalCrate(request, cargo)) }));

  app.put('/api/v1/crates/:name/owners', admin, async (request) => {
    const logins = parseOwnerLogins(await readJson(request));
    const name = await cargo.changeOwners(await canonicalCrate(request, cargo), logins, 'add', { actor: request.identity.name });
    return { ok: true, msg: `${logins.map((l) => `user ${l}`).join(', ')} added as owner${logins.length > 1 ? 's' : ''} of crate ${name}` };
  });

  app.delete('/api/v1/crates/:name/owners', admin, async (request) => {
    const logins = parseOwnerLogins(await readJson(request));
    const name = await cargo.changeOwners(await canonicalCrate(request, cargo), logins, 'remove', { actor: request.identity.name });
    return { ok: true, msg: `owners successfully removed from crate ${name}` };
  });
}
