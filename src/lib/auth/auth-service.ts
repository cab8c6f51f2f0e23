// Who is calling: turns an Authorization header (Basic user:password, Basic any:token, Bearer
// token, Bearer registry JWT, or cargo's raw token) into an Identity, throttling failed attempts
// per client address and per (user name, address) (rate-limit.ts). Holds the parts the HTTP
// layer and commands share.
import type { NoraConfig } from '../config/schema.js';
import type { ObjectStore } from '../storage/object-store.js';
import { ANONYMOUS, type Identity } from './access.js';
import type { AuditLog } from './audit-log.js';
import { AuthErrors } from './errors.js';
import { HtpasswdUsers } from './htpasswd.js';
import { OidcExchanger } from './oidc-exchange.js';
import { LoginLimiter, type Attempt } from './rate-limit.js';
import { registryGrants } from './registry-grants.js';
import { RegistryKeys } from './registry-keys.js';
import { memberRules } from '../tenants/member-rules.js';
import { RuleAuthorizer } from './rule-authorizer.js';
import { TokenStore, looksLikeToken, type TokenRecord } from './tokens.js';

export interface Credentials {
  username?: string;
  secret: string;
  scheme: 'basic' | 'bearer' | 'raw';
}

/** Parses an Authorization header; undefined when there is none or it is unreadable. */
export function parseAuthorization(header: string | undefined): Credentials | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  const scheme = space > 0 ? header.slice(0, space).toLowerCase() : '';
  const value = space > 0 ? header.slice(space + 1).trim() : header.trim();
  if (scheme === 'basic') {
    const text = Buffer.from(value, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0) return undefined;
    return { scheme: 'basic', username: text.slice(0, colon), secret: text.slice(colon + 1) };
  }
  if (scheme === 'bearer' || scheme === 'token') return { scheme: 'bearer', secret: value };
  if (looksLikeToken(header.trim())) return { scheme: 'raw', secret: header.trim() };
  return undefined;
}

export const REGISTRY_AUDIENCE = 'nora';

export class AuthService {
  readonly users: HtpasswdUsers;
  readonly tokens: TokenStore;
  readonly keys: RegistryKeys;
  readonly oidc: OidcExchanger;
  readonly rules: RuleAuthorizer;
  private readonly limiter: LoginLimiter;

  constructor(readonly config: NoraConfig, store: ObjectStore, readonly audit: AuditLog, options: { oidcCooldownMs?: number; now?: () => number } = {}) {
    const { auth } = config;
    this.users = new HtpasswdUsers(auth.htpasswd_file, (users) => void audit.write({ identity: 'system', action: 'users-reload', resource: auth.htpasswd_file, outcome: 'ok', detail: `${users} users` }));
    this.tokens = new TokenStore(store);
    this.keys = new RegistryKeys(store);
    this.oidc = new OidcExchanger(auth.oidc.providers, options.oidcCooldownMs);
    // Tenant members get push and pull on their tenant's namespaces.
    this.rules = new RuleAuthorizer({ rules: [...auth.rules, ...memberRules(config.tenants)], groups: auth.groups, anonymous: auth.anonymous });
    const limits = config.rate_limit;
    this.limiter = new LoginLimiter({ rps: limits.auth_rps, burst: limits.auth_burst, addressBurst: limits.address_burst, lockout: limits.lockout, ...(options.now ? { now: options.now } : {}) });
  }

  get enabled(): boolean {
    return this.config.auth.enabled;
  }

  /** The identity behind an Authorization header; anonymous without one. Throws 401 / 429. */
  async authenticate(header: string | undefined, address: string, requestId?: string): Promise<Identity> {
    const credentials = parseAuthorization(header);
    if (!credentials) {
      if (header) throw AuthErrors.UNAUTHORIZED('unreadable Authorization header');
      return ANONYMOUS;
    }
    const attempt = { address, ...(credentials.username !== undefined ? { user: credentials.username } : {}) };
    const wait = this.limiter.blocked(attempt);
    if (wait > 0) throw AuthErrors.TOO_MANY_REQUESTS(wait);
    const identity = await this.verify(credentials);
    if (!identity) {
      this.limiter.fail(attempt);
      void this.audit.write({ identity: credentials.username ?? 'unknown', action: 'login', outcome: 'failed', address, ...(requestId ? { request_id: requestId } : {}) });
      throw AuthErrors.UNAUTHORIZED(credentials.username ? `wrong user name or password for "${credentials.username}"` : 'the token is unknown, revoked or expired');
    }
    return identity;
  }

  private async verify(credentials: Credentials): Promise<Identity | undefined> {
    if (looksLikeToken(credentials.secret)) {
      const record = await this.tokens.lookup(credentials.secret);
      return record ? tokenIdentity(record) : undefined;
    }
    if (credentials.scheme === 'bearer') {
      const claims = await this.keys.verify(credentials.secret, REGISTRY_AUDIENCE);
      if (typeof claims?.sub !== 'string' || claims.sub === '') return undefined;
      const owner = claims.sub;
      const token = { id: String(claims.jti ?? ''), name: 'registry', permissions: [], grants: registryGrants(claims.access), ownerRules: !owner.startsWith('oidc:') };
      // An anonymous caller's registry token stays anonymous, so refusals still answer 401.
      return { kind: owner === 'anonymous' ? 'anonymous' : 'token', name: owner, token };
    }
    if (credentials.scheme === 'basic' && credentials.username) {
      return (await this.users.verify(credentials.username, credentials.secret)) ? { kind: 'user', name: credentials.username } : undefined;
    }
    return undefined;
  }

  /** Throws 429 while `attempt` is throttled; otherwise runs `check` and counts a failure (falsy result). */
  async throttled<T>(attempt: Attempt, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const wait = this.limiter.blocked(attempt);
    if (wait > 0) throw AuthErrors.TOO_MANY_REQUESTS(wait);
    const result = await check();
    if (!result) this.limiter.fail(attempt);
    return result;
  }

  /** Verifies a user's password (npm login), throttled like any login. */
  async login(username: string, password: string, address: string): Promise<Identity | undefined> {
    return this.throttled({ address, user: username }, async () =>
      ((await this.users.verify(username, password)) ? { kind: 'user' as const, name: username } : undefined));
  }

  /** The permissions an identity holds (tokens: their own list; users: their rules'). */
  permissionsOf(identity: Identity): string[] {
    if (identity.token) return identity.token.permissions;
    return this.rules.permissionsOf(identity.name, identity.kind === 'anonymous');
  }
}

export function tokenIdentity(record: TokenRecord): Identity {
  const expiresAt = record.expires ? Date.parse(record.expires) : undefined;
  return { kind: 'token', name: record.owner, token: { id: record.id, name: record.name, permissions: record.permissions, ownerRules: record.owner_rules, ...(expiresAt !== undefined ? { expiresAt } : {}) } };
}
