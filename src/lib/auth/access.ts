// What a request needs (an action on a named resource of one format) and the one seam that
// decides it. Every route declares its AccessRequest; the server asks `authorize()` before the
// handler runs. Until access control is configured, AllowAll answers yes to everyone.
export type Action = 'pull' | 'push' | 'delete' | 'admin' | 'metrics';

export interface AccessRequest {
  action: Action;
  /** "oci", "npm", "maven", "cargo", "pypi", or "nora" for the registry itself. */
  format: string;
  /** The artifact name in its format's spelling ("team/app", "@scope/pkg"); "" for registry-wide. */
  name: string;
}

export interface Identity {
  kind: 'anonymous' | 'user' | 'token';
  /** The user (for tokens: the owner; for OIDC-exchanged tokens "oidc:<provider>:<subject>"). */
  name: string;
  /** For tokens: the token's own permissions, intersected with the owner's rules (if any). */
  token?: TokenGrant;
}

export interface TokenGrant {
  id: string;
  name: string;
  /** ACTION:[FORMAT:]GLOB permissions of an API or OIDC token. */
  permissions: string[];
  /**
   * A registry JWT's access claims: exactly these requests, names compared as literal strings
   * (never globs); when present, `permissions` is empty and unused.
   */
  grants?: AccessRequest[];
  ownerRules: boolean;
  /** When the token stops working (ms since the epoch); undefined never. */
  expiresAt?: number;
}

export const ANONYMOUS: Identity = { kind: 'anonymous', name: 'anonymous' };

export interface Authorizer {
  /** True when `identity` may do every one of `requests`. */
  authorize(identity: Identity, requests: AccessRequest[]): Promise<boolean>;
}

export class AllowAll implements Authorizer {
  async authorize(): Promise<boolean> {
    return true;
  }
}
