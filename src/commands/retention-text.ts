// How `nora retention` prints decisions and its summary for a person.
import { formatBytes } from './output/progress.js';
import type { PassReport } from '../lib/ops/retention/pass.js';
import type { Decision } from '../lib/ops/retention/types.js';

const target = (d: Decision): string => {
  if (d.kind === 'build') return `${d.name}@${d.reference} build ${d.build}`;
  if (d.format === 'oci') return d.kind === 'tag' ? `${d.name}:${d.reference}` : `${d.name}@${d.reference}`;
  return `${d.name}@${d.reference}`;
};

/** "would delete oci web:dev-6 (rule 1 "*\/dev-*": keep_last = 5: 6th newest)". */
export function describeDecision(d: Decision, dryRun: boolean): string {
  const verb = d.action === 'yank' ? (dryRun ? 'would yank' : 'yanked') : dryRun ? 'would delete' : 'deleted';
  const freed = d.bytes > 0 ? `, frees ${formatBytes(d.bytes)}` : '';
  return `${verb} ${d.format} ${target(d)} (rule ${d.rule + 1} "${d.match}": ${d.reason}${freed})`;
}

export function summarize(r: PassReport): string {
  const yanks = r.decisions.filter((d) => d.action === 'yank').length;
  const what = `${r.decisions.length - yanks} deletions${yanks ? `, ${yanks} yanks` : ''}`;
  const cache = r.cache.considered > 0 || r.cache.evictions.length > 0 ? `; cache: ${r.cache.evictions.length} of ${r.cache.considered} cached items ${r.dryRun ? 'would be evicted' : `evicted (${r.cache.evicted} done)`}, ${formatBytes(r.cache.bytes)}` : '';
  const head = r.dryRun
    ? `retention (dry run): ${what} planned over ${r.considered} tags and versions of ${r.names} names; gc would then free ${formatBytes(r.bytes)}`
    : `retention: ${r.deleted} of ${what} done, ${r.skipped.length} skipped (changed since planned), ${r.failed.length} failed, over ${r.considered} tags and versions of ${r.names} names; gc frees ${formatBytes(r.bytes)} after its grace window`;
  const problems = [...r.skipped.map((s) => `skipped ${s.decision.format} ${target(s.decision)}: ${s.why}`), ...r.failed.map((f) => `failed ${f.decision.format} ${target(f.decision)}: ${f.error}`)];
  return [...problems, `${head}${cache} (${r.durationMs ?? 0} ms)`].join('\n');
}
