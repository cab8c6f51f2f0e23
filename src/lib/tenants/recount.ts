// `nora usage --recount`: rebuilds every tenant's usage document from the formats' metadata
// (every name of every format, weighed through the format services), keeping holds in flight.
import type { FormatName, FormatService } from '../formats/format-service.js';
import { FORMATS } from '../formats/format-service.js';
import { entryOf } from './usage-ledger.js';
import type { NameEntry } from './usage-document.js';
import type { TenantService } from './tenant-service.js';

export interface RecountResult { tenant: string; used: number; names: number }

export async function recountUsage(tenants: TenantService, formats: Record<FormatName, FormatService>, warnAt: number[]): Promise<RecountResult[]> {
  const entries = new Map<string, Record<string, NameEntry>>(tenants.directory.list.map((t) => [t.name, {}]));
  for (const format of FORMATS) {
    const service = formats[format];
    if (!tenants.directory.list.some((t) => t.namespaces.some((n) => n.format === format))) continue;
    let after: string | undefined;
    do {
      const page = await service.listNames({ limit: 500, ...(after ? { after } : {}) });
      for (const name of page.items) {
        const accessName = service.accessName(name);
        const tenant = tenants.directory.ownerOf(format, accessName);
        if (!tenant) continue;
        const entry = entryOf(await service.weigh(name));
        if (entry) entries.get(tenant.name)![`${format}:${accessName}`] = entry;
      }
      after = page.next;
    } while (after);
  }
  const results: RecountResult[] = [];
  for (const tenant of tenants.directory.list) {
    const names = entries.get(tenant.name)!;
    const used = await tenants.ledger.replaceNames(tenant.name, names, tenant.quota, warnAt);
    results.push({ tenant: tenant.name, used, names: Object.keys(names).length });
  }
  return results;
}
