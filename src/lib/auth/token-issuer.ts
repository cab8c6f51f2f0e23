// Issuing API tokens for an identity: the requested permissions must be a subset of what the
// identity holds (a token's narrower list, or the user's rules); without a list, the token gets
// the identity's current permissions (still narrowed by the owner's live rules on every use).
// Globs in the list are checked by isSubset (names never become globs); a token-made token expires
// no later than its parent.
import type { Identity } from './access.js';
import type { AuthService } from './auth-service.js';
import { AuthErrors } from './errors.js';
import { checkPermissions } from './permission-syntax.js';
import { PermissionSet, isSubset } from './permissions.js';
import type { TokenRecord } from './tokens.js';

export interface TokenRequest {
  name: string;
  permissions?: string[];
  /** Lifetime in ms; undefined uses `[auth] token_ttl`; 0 never expires. */
  ttlMs?: number;
}

/** The longest lifetime a token may ask for: past it an expiry date is no date at all (1e308 s). */
export const MAX_TOKEN_TTL_MS = 100 * 365 * 24 * 3600_000;

export async function issueToken(auth: AuthService, identity: Identity, request: TokenRequest, now = Date.now()): Promise<{ token: string; record: TokenRecord }> {
  if (identity.kind === 'anonymous') throw AuthErrors.UNAUTHORIZED('log in to create tokens');
  if (request.ttlMs !== undefined && !(Number.isSafeInteger(request.ttlMs) && request.ttlMs >= 0 && request.ttlMs <= MAX_TOKEN_TTL_MS)) {
    throw AuthErrors.BAD_TOKEN_REQUEST(`a token lives at most 100 years (expires_in up to ${MAX_TOKEN_TTL_MS / 1000} seconds; 0 never expires)`);
  }
  // A registry JWT is a few minutes of access to named repositories, not a login.
  if (identity.token?.grants) throw AuthErrors.DENIED(identity.name, 'create API tokens with a registry token (from /auth/token); use a password or an API token');
  const held = auth.permissionsOf(identity);
  const permissions = request.permissions ?? held;
  const malformed = checkPermissions(permissions);
  if (malformed) throw AuthErrors.DENIED(identity.name, `create a token with ${malformed}`);
  const outside = isSubset(permissions, new PermissionSet(held));
  if (outside) throw AuthErrors.DENIED(identity.name, `create this token: ${outside}`);
  const ownerRules = identity.token ? identity.token.ownerRules : true;
  return auth.tokens.create({ name: request.name, owner: identity.name, permissions, ttlMs: lifetime(identity, request.ttlMs ?? auth.config.auth.token_ttl, now), ownerRules, now });
}

/** A token made by a token never outlives it (a 15-minute CI token cannot mint a permanent one). */
function lifetime(identity: Identity, ttlMs: number, now: number): number {
  const expiresAt = identity.token?.expiresAt;
  if (expiresAt === undefined) return ttlMs;
  const left = expiresAt - now;
  if (left <= 0) throw AuthErrors.UNAUTHORIZED('the token has expired');
  return ttlMs === 0 ? left : Math.min(ttlMs, left);
}
