// Pull-through cache eviction ([[retention.cache]]): for each cached item (formats' listCached,
// never local content) the first cache rule naming its format and upstream decides. It goes when
// not pulled for `not_pulled_for` (never pulled: since it was cached); what stays is then fitted
// into `max_size`, least recently pulled first out. Evictions go through the format services.
import type { CachedItem, FormatName, MutationContext } from '../../formats/format-service.js';
import { FORMATS, type FormatSet } from '../formats.js';
import type { NoraConfig } from '../../config/schema.js';
import { formatAge, formatDuration } from './conditions.js';

export type CacheRule = NoraConfig['retention']['cache'][number];

export interface Eviction {
  format: FormatName;
  name: string;
  reference: string;
  upstream: string;
  /** Index of the deciding rule in [[retention.cache]]. */
  rule: number;
  reason: string;
  size: number;
}

export interface CacheReport {
  /** Cached items looked at. */
  considered: number;
  evictions: Eviction[];
  /** Bytes of the evicted items (gc frees those no other artifact holds). */
  bytes: number;
  evicted: number;
  failed: Array<{ eviction: Eviction; error: string }>;
}

export const emptyCacheReport = (): CacheReport => ({ considered: 0, evictions: [], bytes: 0, evicted: 0, failed: [] });

type Entry = CachedItem & { format: FormatName };

const recency = (e: Entry): string => e.lastPulled ?? e.cached;

/** Pure: the evictions `rules` make among `items` at `now`. */
export function planEvictions(rules: CacheRule[], items: Entry[], now: number): Eviction[] {
  const pools = new Map<number, Entry[]>();
  for (const item of items) {
    const index = rules.findIndex((r) => (r.format === '' || r.format === item.format) && (r.upstream === '' || r.upstream === item.upstream));
    if (index < 0) continue;
    const pool = pools.get(index);
    if (pool) pool.push(item);
    else pools.set(index, [item]);
  }
  const out: Eviction[] = [];
  const evict = (e: Entry, rule: number, reason: string) => out.push({ format: e.format, name: e.name, reference: e.reference, upstream: e.upstream, rule, reason, size: e.size });
  for (const [index, pool] of [...pools].sort((a, b) => a[0] - b[0])) {
    const rule = rules[index]!;
    const staying: Entry[] = [];
    for (const e of pool) {
      const age = now - Date.parse(recency(e));
      if (rule.not_pulled_for > 0 && age > rule.not_pulled_for) evict(e, index, `not_pulled_for = ${formatDuration(rule.not_pulled_for)}: ${e.lastPulled ? `last pulled ${formatAge(age)} ago` : `never pulled, cached ${formatAge(age)} ago`}`);
      else staying.push(e);
    }
    if (rule.max_size === 0) continue;
    // Most recently pulled first: what is past the budget goes.
    staying.sort((a, b) => recency(b).localeCompare(recency(a)) || a.name.localeCompare(b.name) || a.reference.localeCompare(b.reference));
    let used = 0;
    for (const e of staying) {
      used += e.size;
      if (used > rule.max_size) evict(e, index, `max_size = ${rule.max_size} bytes: over the budget, ${e.lastPulled ? `last pulled ${formatAge(now - Date.parse(e.lastPulled))} ago` : 'never pulled'}`);
    }
  }
  return out;
}

/** Every cached item of every format that has a cache. */
export async function listCachedItems(formats: FormatSet, rules: CacheRule[]): Promise<Entry[]> {
  const items: Entry[] = [];
  for (const format of FORMATS) {
    const service = formats[format];
    if (!service.listCached || !rules.some((r) => r.format === '' || r.format === format)) continue;
    for await (const item of service.listCached()) items.push({ ...item, format });
  }
  return items;
}

export async function evictAll(formats: FormatSet, evictions: Eviction[], items: Entry[], context: MutationContext, report: CacheReport): Promise<void> {
  const byKey = new Map(items.map((i) => [`${i.format}\u0000${i.name}\u0000${i.reference}\u0000${i.upstream}`, i]));
  for (const eviction of evictions) {
    const item = byKey.get(`${eviction.format}\u0000${eviction.name}\u0000${eviction.reference}\u0000${eviction.upstream}`)!;
    try {
      if (await formats[eviction.format].evictCached!(item, context)) report.evicted++;
    } catch (error) {
      report.failed.push({ eviction, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
