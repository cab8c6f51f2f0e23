// One pass of everything [retention] configures: the retention rules (run.ts) and then the cache
// rules (cache.ts), with one report. `nora retention`, POST /api/retention and the schedule run it.
import type { Services } from '../../services.js';
import { emptyCacheReport, evictAll, listCachedItems, planEvictions, type CacheReport } from './cache.js';
import { rulesFromConfig } from './rules.js';
import { runRetention, type RetentionReport } from './run.js';

export type PassReport = RetentionReport & { cache: CacheReport };

export interface PassOptions {
  dryRun?: boolean;
  now?: () => number;
  onProgress?: (report: PassReport, done: number, total: number) => void;
}

export async function runPass(services: Pick<Services, 'config' | 'formats'>, options: PassOptions = {}): Promise<PassReport> {
  const now = options.now ?? Date.now;
  const context = { actor: 'retention' };
  const cache = emptyCacheReport();
  const progress = options.onProgress ?? (() => undefined);
  const report: PassReport = {
    ...(await runRetention({
      formats: services.formats, rules: rulesFromConfig(services.config.retention), dryRun: options.dryRun ?? false, now, context,
      onProgress: (r, done, total) => progress({ ...r, cache }, done, total),
    })),
    cache,
  };
  const rules = services.config.retention.cache;
  if (report.phase === 'failed' || rules.length === 0) return report;
  try {
    const items = await listCachedItems(services.formats, rules);
    cache.considered = items.length;
    cache.evictions = planEvictions(rules, items, now());
    cache.bytes = cache.evictions.reduce((sum, e) => sum + e.size, 0);
    if (!report.dryRun) await evictAll(services.formats, cache.evictions, items, context, cache);
  } catch (error) {
    report.phase = 'failed';
    report.error = `cache eviction: ${error instanceof Error ? error.message : String(error)}`;
  }
  progress(report, 0, 0);
  return report;
}
