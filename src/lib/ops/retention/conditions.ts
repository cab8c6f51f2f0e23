// The conditions of one rule over the tags or versions it decides in one pool (a repository's
// tags, a package's versions, a SNAPSHOT's builds): something goes only when every condition the
// rule gives says delete. keep_last ranks by push time, keep_last_pulled by last pull (never
// pulled last); not_pulled_for measures a never-pulled item from its push.
import type { CompiledRule } from './rules.js';

export interface PoolItem {
  id: string;
  pushed: string;
  lastPulled?: string;
}

/** Why an item goes (every condition's reason), or undefined when some condition keeps it. */
export type Verdict = { delete: true; reason: string } | { delete: false };

const DAY = 86_400_000;

export function formatAge(ms: number): string {
  if (ms >= DAY) return `${Math.floor(ms / DAY)}d`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)}h`;
  if (ms >= 60_000) return `${Math.floor(ms / 60_000)}m`;
  return `${Math.max(0, Math.floor(ms / 1000))}s`;
}

export const formatDuration = (ms: number): string => {
  for (const [unit, size] of [['d', DAY], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
};

const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
};

const byPushed = (a: PoolItem, b: PoolItem) => b.pushed.localeCompare(a.pushed) || b.id.localeCompare(a.id);
const byPulled = (a: PoolItem, b: PoolItem) => (b.lastPulled ?? '').localeCompare(a.lastPulled ?? '') || byPushed(a, b);

/** The verdict on every item of `pool` under `rule` at `now`. */
export function judge(rule: CompiledRule, pool: PoolItem[], now: number): Map<string, Verdict> {
  const pushRank = new Map([...pool].sort(byPushed).map((item, i) => [item.id, i]));
  const pullRank = rule.keepLastPulled === undefined ? undefined : new Map([...pool].sort(byPulled).map((item, i) => [item.id, i]));
  const out = new Map<string, Verdict>();
  for (const item of pool) {
    const reasons: string[] = [];
    let keep = false;
    if (rule.keepLast !== undefined) {
      const rank = pushRank.get(item.id)!;
      if (rank < rule.keepLast) keep = true;
      else reasons.push(`keep_last = ${rule.keepLast}: ${ordinal(rank + 1)} newest`);
    }
    if (!keep && rule.olderThanMs !== undefined) {
      const age = now - Date.parse(item.pushed);
      if (age <= rule.olderThanMs) keep = true;
      else reasons.push(`older_than = ${formatDuration(rule.olderThanMs)}: pushed ${formatAge(age)} ago`);
    }
    if (!keep && rule.notPulledForMs !== undefined) {
      const age = now - Date.parse(item.lastPulled ?? item.pushed);
      if (age <= rule.notPulledForMs) keep = true;
      else reasons.push(`not_pulled_for = ${formatDuration(rule.notPulledForMs)}: ${item.lastPulled ? `last pulled ${formatAge(age)} ago` : `never pulled, pushed ${formatAge(age)} ago`}`);
    }
    if (!keep && pullRank && rule.keepLastPulled !== undefined) {
      const rank = pullRank.get(item.id)!;
      if (rank < rule.keepLastPulled) keep = true;
      else reasons.push(`keep_last_pulled = ${rule.keepLastPulled}: ${item.lastPulled ? `${ordinal(rank + 1)} most recently pulled` : 'never pulled'}`);
    }
    out.set(item.id, keep || reasons.length === 0 ? { delete: false } : { delete: true, reason: reasons.join('; ') });
  }
  return out;
}

/** The item pushed last (ties: the greatest id), or undefined for an empty pool. */
export const newestOf = <T extends PoolItem>(pool: T[]): T | undefined => [...pool].sort(byPushed)[0];
