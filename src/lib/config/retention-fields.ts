// The keys of [retention]: the schedule, [[retention.rules]] (which tags and versions go) and
// [[retention.cache]] (which cached upstream content goes). Rules that span several keys of one
// table (keep_last = 0 without allow_empty, a rule without `match`) are checked in consistency.ts.
import { boolean, duration, integer, list, oneOf, size, string, strings } from './field.js';
import { simpleGlobProblem } from '../glob/simple-glob.js';

const FORMAT_NAMES = ['', 'oci', 'npm', 'maven', 'cargo', 'pypi'] as const;

/** Why `match` is not REPO_GLOB/TAG_GLOB, or undefined when it is. */
export function matchProblem(match: string): string | undefined {
  const slash = match.lastIndexOf('/');
  if (slash <= 0 || slash === match.length - 1) return `expected REPO_GLOB/TAG_GLOB such as "*/dev-*" or "**/pr-*", got "${match}"`;
  const problem = simpleGlobProblem(match);
  return problem ? `bad glob "${match}": ${problem}` : undefined;
}

const globsProblem = (globs: string[]): string | undefined => {
  for (const glob of globs) {
    const problem = glob === '' ? 'empty' : simpleGlobProblem(glob);
    if (problem) return `bad glob "${glob}": ${problem}`;
  }
  return undefined;
};

/** A count that may be left out (-1 when absent; a file cannot write a negative one). */
const count = (doc: string) => integer(-1, { doc, check: (v) => (v < 0 ? `must be 0 or more, got ${v}` : undefined) });

export const retentionSchema = {
  schedule: string('', {
    doc: 'Cron expression (5 or 6 fields, e.g. "0 3 * * *") on which `nora serve` applies the retention rules and cache rules; empty runs them only on demand (`nora retention`, POST /api/retention).',
    check: (v) => (v === '' || /^\S+(\s+\S+){4,5}$/.test(v.trim()) ? undefined : `expected a cron expression with 5 or 6 fields such as "0 3 * * *", got "${v}"`),
  }),
  rules: list({
    match: string('', { doc: 'REPO_GLOB/TAG_GLOB: before the last "/" a glob of the repository or package name (Maven "group/path/artifactId"), after it a glob of the tag or version ("*" one segment, "**" any, "?" one character).', check: (v) => matchProblem(v) }),
    format: oneOf(FORMAT_NAMES, '', { doc: 'Only this format\'s artifacts ("oci", "npm", "maven", "cargo", "pypi"); empty matches every format.' }),
    keep_last: count('Keep the newest N by push time (Maven SNAPSHOTs: N timestamped builds per SNAPSHOT version); absent: not a condition.'),
    older_than: duration('0', { doc: 'Delete only what was pushed longer ago than this (e.g. "90d"); 0 or absent: not a condition.' }),
    not_pulled_for: duration('0', { doc: 'Delete only what was not pulled for this long (never pulled: since its push); 0 or absent: not a condition.' }),
    keep_last_pulled: count('Keep the N most recently pulled (never pulled ranks last); absent (-1): not a condition.'),
    protect: strings([], { doc: 'Tag or version globs this rule never deletes, e.g. ["latest", "v*"].', check: globsProblem }),
    allow_empty: boolean(false, { doc: 'Let the rule delete the newest version of a package or repository too (otherwise it is always kept).' }),
    untagged_older_than: duration('0', { doc: 'OCI: delete manifests of matching repositories that no tag names and no kept index or subject needs, pushed longer ago than this; 0: keep them.' }),
    action: oneOf(['yank', 'delete'] as const, 'yank', { doc: 'Cargo: "yank" versions (lockfiles keep working) or "delete" them.' }),
  }, 'Retention rules, first match decides per tag or version; a version no rule matches is kept. Deleted only when every condition the rule gives says so.'),
  cache: list({
    upstream: string('', { doc: 'Name of the upstream whose cached content this rule evicts (as in [[<format>.upstreams]] name); empty: every upstream.' }),
    format: oneOf(FORMAT_NAMES, '', { doc: 'Only this format\'s cache; empty: every format.' }),
    not_pulled_for: duration('0', { doc: 'Evict cached content not pulled for this long (never pulled: since it was cached); 0: not a condition.' }),
    max_size: size('0', { doc: 'Size budget of the cached content this rule covers, e.g. "20GiB": the least recently pulled goes first until it fits; 0: no budget.' }),
  }, 'Pull-through cache eviction rules; local (pushed or published) content is never touched by them.'),
};
