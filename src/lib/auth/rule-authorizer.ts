// The Authorizer for `[auth] enabled = true`: each identity's permissions are the union of the
// `[[auth.rules]]` whose subject names it (user, one of its groups, "*" for any authenticated
// caller, "anonymous"); tokens are further narrowed to their own permissions. Compiled permission
// sets are cached per identity and dropped whenever rules or groups change.
import type { AccessRequest, Authorizer, Identity } from './access.js';
import { PermissionSet } from './permissions.js';
import { grantsAllow } from './registry-grants.js';

export interface Rule {
  subject: string;
  permissions: string[];
}

export interface RuleConfig {
  rules: Rule[];
  groups: Record<string, string[]>;
  /** `[auth] anonymous`, added to the rules whose subject is "anonymous". */
  anonymous: string[];
}

const MAX_CACHED = 10_000;

export class RuleAuthorizer implements Authorizer {
  private config: RuleConfig;
  private readonly cache = new Map<string, PermissionSet>();

  constructor(config: RuleConfig) {
    this.config = config;
  }

  /** Replaces rules and groups (config reload); every cached decision is dropped. */
  update(config: RuleConfig): void {
    this.config = config;
    this.cache.clear();
  }

  /** The permissions rules grant a user (or "anonymous"), before any token narrowing. */
  permissionsOf(user: string, anonymous = false): string[] {
    if (anonymous) return [...this.config.anonymous, ...this.config.rules.filter((r) => r.subject === 'anonymous').flatMap((r) => r.permissions)];
    const groups = Object.entries(this.config.groups).filter(([, members]) => members.includes(user)).map(([group]) => group);
    const subjects = new Set([user, '*', ...groups]);
    return this.config.rules.filter((r) => subjects.has(r.subject)).flatMap((r) => r.permissions);
  }

  setFor(identity: Identity): PermissionSet {
    const key = `${identity.kind}\0${identity.name}`;
    let set = this.cache.get(key);
    if (!set) {
      set = new PermissionSet(this.permissionsOf(identity.name, identity.kind === 'anonymous'));
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, set);
    }
    return set;
  }

  private tokenSet(permissions: string[]): PermissionSet {
    const key = `tokenperms\0${permissions.join('\n')}`;
    let set = this.cache.get(key);
    if (!set) {
      set = new PermissionSet(permissions);
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, set);
    }
    return set;
  }

  allowedSync(identity: Identity, requests: readonly AccessRequest[]): boolean {
    const token = identity.token;
    if (token) {
      // A registry JWT's names are literal grants; only API and OIDC tokens carry globs.
      const own = token.grants ? grantsAllow(token.grants, requests) : this.tokenSet(token.permissions).allowsAll(requests);
      if (!own) return false;
      if (!token.ownerRules) return true;
    }
    return this.setFor(identity).allowsAll(requests);
  }

  async authorize(identity: Identity, requests: AccessRequest[]): Promise<boolean> {
    return this.allowedSync(identity, requests);
  }
}
