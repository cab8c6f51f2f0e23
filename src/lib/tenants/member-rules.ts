// A tenant's members get push and pull on its namespaces: each member becomes an access rule
// (subject: the user, or the group of "group:NAME") added to [[auth.rules]] when auth is enabled.
import type { Rule } from '../auth/rule-authorizer.js';
import { namespacesOf, type TenantSettings } from './tenant-checks.js';

export function memberRules(tenants: TenantSettings[]): Rule[] {
  return tenants.flatMap((tenant) => {
    const permissions = namespacesOf(tenant).flatMap((n) => [`push:${n.format}:${n.accessGlob}`, `pull:${n.format}:${n.accessGlob}`]);
    return tenant.members.map((member) => ({ subject: member.startsWith('group:') ? member.slice('group:'.length) : member, permissions }));
  });
}
