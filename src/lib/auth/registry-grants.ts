// A verified registry JWT's `access` claim as literal grants. The claim is read defensively (a
// JWT from an older release, or any key holder, may carry anything): an entry that is not a
// repository with a string name and a list of pull/push/delete/"*" actions grants nothing, and a
// name is only ever compared for equality, so `acme/**` in a claim grants the name "acme/**".
import type { AccessRequest, Action } from './access.js';

const REGISTRY_ACTIONS: readonly Action[] = ['pull', 'push', 'delete'];
/** /auth/token signs at most 100 scopes; a claim with more is cut, not trusted further. */
const MAX_ENTRIES = 100;

export function registryGrants(access: unknown): AccessRequest[] {
  if (!Array.isArray(access)) return [];
  const grants: AccessRequest[] = [];
  for (const entry of access.slice(0, MAX_ENTRIES) as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { type, name, actions } = entry as Record<string, unknown>;
    if (type !== 'repository' || typeof name !== 'string' || name === '' || !Array.isArray(actions)) continue;
    for (const action of actions) {
      const expanded = action === '*' ? REGISTRY_ACTIONS : REGISTRY_ACTIONS.filter((a) => a === action);
      for (const a of expanded) grants.push({ action: a, format: 'oci', name });
    }
  }
  return grants;
}

/** True when every request is one of `grants` (a registry-wide "" request needs the action at all). */
export function grantsAllow(grants: readonly AccessRequest[], requests: readonly AccessRequest[]): boolean {
  return requests.every((r) => grants.some((g) => g.action === r.action && g.format === r.format && (r.name === '' || g.name === r.name)));
}
