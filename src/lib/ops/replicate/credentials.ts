// Which credentials a registry side uses, first found wins: --src-creds/--dst-creds user:pass,
// --src-token/--dst-token, the user's Docker/containers auth file for the host, and NORA_TOKEN
// for a location written as a URL (a remote NORA). Nothing here is ever printed.
import { ReplicateErrors } from './errors.js';
import { storedCredentials } from './docker-config.js';
import type { Location } from './location.js';
import type { RegistryAuth } from './registry-endpoint.js';

export function registryAuth(location: Extract<Location, { kind: 'registry' }>, flag: { creds?: string | undefined; token?: string | undefined; name: string }, env: NodeJS.ProcessEnv = process.env): RegistryAuth {
  if (flag.creds !== undefined) {
    const colon = flag.creds.indexOf(':');
    if (colon <= 0) throw ReplicateErrors.BAD_FILTER(`--${flag.name}-creds`, '***', 'expected user:password');
    return { username: flag.creds.slice(0, colon), password: flag.creds.slice(colon + 1) };
  }
  if (flag.token) return { token: flag.token };
  const stored = storedCredentials(location.host, env);
  if (stored) return stored;
  if (location.url && env.NORA_TOKEN) return { token: env.NORA_TOKEN };
  return undefined;
}
