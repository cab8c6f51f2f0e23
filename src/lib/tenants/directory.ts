// The configured tenants, compiled once: which tenant owns a name (by its format's access name),
// and which tenants a user belongs to (by name or by a "group:NAME" member).
import type { Namespace } from './namespaces.js';
import { namespacesOf, type TenantSettings } from './tenant-checks.js';

export interface Tenant {
  name: string;
  /** Bytes; 0 = no quota. */
  quota: number;
  rateLimit: { push: number; pull: number };
  members: string[];
  namespaces: Namespace[];
}

export class TenantDirectory {
  readonly list: Tenant[];

  constructor(settings: TenantSettings[], private readonly groups: Record<string, string[]> = {}) {
    this.list = settings.map((t) => ({ name: t.name, quota: t.storage_quota, rateLimit: { ...t.rate_limit }, members: t.members, namespaces: namespacesOf(t) }));
  }

  byName(name: string): Tenant | undefined {
    return this.list.find((t) => t.name === name);
  }

  /** The tenant owning `accessName` of `format`; undefined: no tenant, no quota. */
  ownerOf(format: string, accessName: string): Tenant | undefined {
    return this.list.find((t) => t.namespaces.some((n) => n.format === format && n.matches(accessName)));
  }

  /** The tenants `user` is a member of, directly or through a group. */
  memberships(user: string): Tenant[] {
    return this.list.filter((t) => t.members.some((m) => (m.startsWith('group:') ? (this.groups[m.slice(6)] ?? []).includes(user) : m === user)));
  }
}
