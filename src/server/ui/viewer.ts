// Who is looking at a UI page and what they may see. Every listing filters names through
// `canPull`, the same rule the protocols apply, so the UI never shows a name its viewer could
// not pull. With access control on and no anonymous pull, anonymous viewers get a sign-in prompt
// before any name is read (the page handlers never run for them).
import type { FastifyRequest } from 'fastify';
import type { FormatName } from '../../lib/formats/format-service.js';
import type { Services } from '../../lib/services.js';
import { publicBaseUrl } from '../core/public-url.js';

export interface Viewer {
  name: string;
  /** This server's public base URL ([server] public_url, else the request's own) and its host, for commands. */
  baseUrl: string;
  host: string;
  signedIn: boolean;
  authEnabled: boolean;
  /** May pull `name` (the format's own spelling; mapped to its access name here). */
  canPull(format: FormatName, name: string): Promise<boolean>;
  /** May pull the name access rules see (what listNames' canPull receives). */
  canPullAccess(format: FormatName, accessName: string): Promise<boolean>;
  /** Registry-wide figures (storage per format, upstreams) are for admins of "nora". */
  isAdmin(): Promise<boolean>;
}

export function viewerOf(request: FastifyRequest, services: Services): Viewer {
  const baseUrl = publicBaseUrl(request, services.config.server.public_url);
  return {
    name: request.identity.name,
    baseUrl,
    host: baseUrl.replace(/^[a-z]+:\/\//i, ''),
    signedIn: request.identity.kind !== 'anonymous',
    authEnabled: services.auth.enabled,
    canPull: (format, name) => request.allowed({ action: 'pull', format, name: services.formats[format].accessName(name) }),
    canPullAccess: (format, name) => request.allowed({ action: 'pull', format, name }),
    isAdmin: () => request.allowed({ action: 'admin', format: 'nora', name: '' }),
  };
}

/** True when this anonymous request must sign in first: access control on, and anonymous may pull nothing. */
export function mustSignIn(request: FastifyRequest, services: Services): boolean {
  if (!services.auth.enabled || request.identity.kind !== 'anonymous') return false;
  return !services.auth.rules.permissionsOf('anonymous', true).some((p) => p.startsWith('pull:'));
}
