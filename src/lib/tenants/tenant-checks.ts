// Rules that span [[tenants]] tables, checked when the config loads: a name is required and
// unique, and no two tenants' namespaces may overlap (the problem names both tenants and points
// at the later table's line).
import type { ConfigProblem } from '../config/config-error.js';
import { defaultNamespaces, overlaps, parseNamespace, type Namespace } from './namespaces.js';

export interface TenantSettings {
  name: string;
  storage_quota: number;
  rate_limit: { push: number; pull: number };
  members: string[];
  namespaces: string[];
}

/** The namespaces a tenant owns: its list, else the defaults from its name. */
export function namespacesOf(tenant: TenantSettings): Namespace[] {
  const texts = tenant.namespaces.length > 0 ? tenant.namespaces : defaultNamespaces(tenant.name);
  return texts.map(parseNamespace).filter((n): n is Namespace => typeof n !== 'string');
}

const label = (n: Namespace) => `${n.format}:${n.glob}`;

export function checkTenants(tenants: TenantSettings[], origin: (path: string[]) => string | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  tenants.forEach((tenant, i) => {
    const at = (key?: string) => origin(['tenants', String(i), ...(key ? [key] : [])]);
    if (tenant.name === '') {
      problems.push({ key: `tenants[${i}].name`, message: 'required', origin: at() });
      return;
    }
    const first = tenants.findIndex((t) => t.name === tenant.name);
    if (first !== i) problems.push({ key: `tenants[${i}].name`, message: `tenant "${tenant.name}" is already defined (tenants[${first}])`, origin: at('name') });
    const own = namespacesOf(tenant);
    tenants.slice(0, i).forEach((other, j) => {
      for (const mine of own) {
        const clash = namespacesOf(other).find((theirs) => overlaps(mine, theirs));
        if (clash) {
          problems.push({
            key: `tenants[${i}].namespaces`,
            message: `"${label(mine)}" of tenant "${tenant.name}" overlaps "${label(clash)}" of tenant "${other.name}" (tenants[${j}]); a name may belong to one tenant only`,
            origin: at(tenant.namespaces.length > 0 ? 'namespaces' : 'name'),
          });
          return;
        }
      }
    });
  });
  return problems;
}
