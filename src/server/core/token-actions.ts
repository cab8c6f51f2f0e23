// Listing, creating and revoking the caller's API tokens: the one code path behind /api/tokens
// and the UI's tokens page. Checks the body, issues through lib/auth (a token never exceeds its
// maker's permissions), and writes the audit line.
import type { FastifyRequest } from 'fastify';
import { AuthErrors } from '../../lib/auth/errors.js';
import { issueToken } from '../../lib/auth/token-issuer.js';
import type { TokenRecord } from '../../lib/auth/tokens.js';
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { Services } from '../../lib/services.js';

/** What a client sends to create a token (JSON for /api, the form fields for the UI). */
export interface TokenBody { name?: unknown; permissions?: unknown; expires_in?: unknown }

function signedIn(request: FastifyRequest): void {
  if (request.identity.kind === 'anonymous') throw AuthErrors.UNAUTHORIZED('log in (Basic or Bearer) to manage tokens');
}

const isAdmin = (request: FastifyRequest) => request.allowed({ action: 'admin', format: 'nora', name: 'tokens' });

function audit(services: Services, request: FastifyRequest, action: string, detail: string): void {
  void services.audit.write({ identity: request.identity.name, action, resource: 'nora:tokens', outcome: 'ok', detail, address: request.clientAddress, request_id: request.id });
}

/** The caller's tokens; an admin of "nora" with `all` gets everyone's. */
export async function listTokens(services: Services, request: FastifyRequest, all = false): Promise<TokenRecord[]> {
  signedIn(request);
  return services.auth.tokens.list(all && (await isAdmin(request)) ? undefined : request.identity.name);
}

/** Creates a token for the caller; the secret is in the result only (shown once). */
export async function createToken(services: Services, request: FastifyRequest, body: TokenBody): Promise<{ token: string; record: TokenRecord }> {
  signedIn(request);
  if (typeof body.name !== 'string' || !/^[\w.@-]{1,64}$/.test(body.name)) throw AuthErrors.BAD_TOKEN_REQUEST('"name" must be 1-64 letters, digits, . _ @ -');
  if (body.permissions !== undefined && !(Array.isArray(body.permissions) && body.permissions.every((p) => typeof p === 'string'))) throw AuthErrors.BAD_TOKEN_REQUEST('"permissions" must be an array of strings');
  if (body.expires_in !== undefined && !(typeof body.expires_in === 'number' && Number.isInteger(body.expires_in) && body.expires_in >= 0)) throw AuthErrors.BAD_TOKEN_REQUEST('"expires_in" must be whole seconds (0 = never)');
  const issued = await issueToken(services.auth, request.identity, {
    name: body.name, ...(body.permissions ? { permissions: body.permissions } : {}),
    ...(typeof body.expires_in === 'number' ? { ttlMs: body.expires_in * 1000 } : {}),
  });
  audit(services, request, 'token-create', `${issued.record.id} ${issued.record.name}`);
  return issued;
}

/** Revokes one of the caller's tokens (any token for an admin); NOT_FOUND otherwise. */
export async function revokeToken(services: Services, request: FastifyRequest, id: string): Promise<TokenRecord> {
  signedIn(request);
  const revoked = await services.auth.tokens.revoke(id, (await isAdmin(request)) ? undefined : request.identity.name);
  if (!revoked) throw CommonErrors.NOT_FOUND(`token ${id}`);
  audit(services, request, 'token-revoke', `${revoked.id} ${revoked.name}`);
  return revoked;
}
