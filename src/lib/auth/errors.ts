// Access-control errors, rendered by each protocol in its own shape (401 with that protocol's
// challenge, 403, 429 with Retry-After).
import { defineError } from '../errors/catalog.js';

export const AuthErrors = {
  UNAUTHORIZED: defineError('UNAUTHORIZED', 401, 'Credentials are missing or wrong.',
    (why: string) => `authentication required: ${why}`),
  DENIED: defineError('DENIED', 403, 'The caller is known but may not do this.',
    (who: string, what: string) => `${who} may not ${what}`),
  BAD_TOKEN_REQUEST: defineError('BAD_TOKEN_REQUEST', 400, 'A token request is malformed.',
    (why: string) => `bad token request: ${why}`),
  TOO_MANY_REQUESTS: defineError('TOO_MANY_REQUESTS', 429, 'Too many failed logins from this address or for this user.',
    (seconds: number) => `too many failed logins; retry in ${seconds} s`,
    (seconds: number) => ({ retry_after: seconds })),
  CONFIG_INVALID: defineError('CONFIG_INVALID', 500, 'An [[auth.oidc.providers]] entry lacks its name, issuer or audience; the server does not start.',
    (index: number, missing: string[]) => `auth.oidc.providers[${index}] needs ${missing.join(', ')}`),
  HTPASSWD_INVALID: defineError('HTPASSWD_INVALID', 500, 'A line of the htpasswd file is not "name:bcrypt-hash"; the file is not loaded.',
    (where: string, why: string) => `${where}: ${why}`),
};
