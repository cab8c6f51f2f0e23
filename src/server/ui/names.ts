// One page of the names a viewer may pull, optionally only those containing `q` (case-folded).
// The substring filter runs before the access check, so a search costs one authorizer call per
// matching name, and a page stops at `limit` visible names.
import type { FormatName } from '../../lib/formats/format-service.js';
import type { Services } from '../../lib/services.js';
import type { Viewer } from './viewer.js';

export interface NamesQuery { q?: string; after?: string; limit: number; prefix?: string }

export async function visibleNames(services: Services, viewer: Viewer, format: FormatName, query: NamesQuery): Promise<{ items: string[]; next?: string }> {
  const service = services.formats[format];
  const needle = query.q?.toLowerCase();
  if (!needle && !query.prefix) {
    return service.listNames({ ...(query.after ? { after: query.after } : {}), limit: query.limit, canPull: (name) => viewer.canPullAccess(format, name) });
  }
  const after = query.after ?? (query.prefix ? query.prefix.slice(0, -1) : undefined);
  const { items: all } = await service.listNames(after !== undefined ? { after } : {});
  const items: string[] = [];
  for (const name of all) {
    if (query.prefix && !name.startsWith(query.prefix)) {
      if (name > query.prefix) break;
      continue;
    }
    if (needle && !name.toLowerCase().includes(needle)) continue;
    if (!(await viewer.canPull(format, name))) continue;
    if (items.length === query.limit) return { items, next: items[items.length - 1]! };
    items.push(name);
  }
  return { items };
}
