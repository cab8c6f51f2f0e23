// Listings for planner tests: names with tags or versions pushed N days before a fixed "now".
import type { FormatName, ManifestListing } from '../../../../src/lib/formats/format-service.js';
import { compileRules, type RetentionRule } from '../../../../src/lib/ops/retention/rules.js';
import { planRetention } from '../../../../src/lib/ops/retention/plan.js';
import type { RetentionName, RetentionUnit } from '../../../../src/lib/ops/retention/types.js';

export const NOW = Date.parse('2026-06-01T00:00:00Z');
export const daysAgo = (days: number): string => new Date(NOW - days * 86_400_000).toISOString();

/** A rule with defaults (no conditions, nothing protected). */
export const rule = (match: string, fields: Partial<RetentionRule> = {}, index = 0): RetentionRule => ({ index, match, protect: [], allowEmpty: false, action: 'yank', ...fields });

export const unit = (version: string, pushedDaysAgo: number, extra: Partial<RetentionUnit> = {}): RetentionUnit => ({
  version, digest: `sha256:${version.replace(/[^a-z0-9]/gi, '').padEnd(8, '0')}`, size: 100, pushed: daysAgo(pushedDaysAgo), pulls: 0, ...extra,
});

export const named = (format: FormatName, name: string, units: RetentionUnit[], manifests?: ManifestListing[]): RetentionName => ({
  format, name, accessName: format === 'maven' ? name.replace(':', '/').replaceAll('.', '/') : name, units, ...(manifests ? { manifests } : {}),
});

/** Tags `count` ... 1 of `repo`, tag i pushed i days ago ("dev-1" newest). */
export const tags = (prefix: string, count: number): RetentionUnit[] => Array.from({ length: count }, (_, i) => unit(`${prefix}${i + 1}`, i + 1));

export function plan(rules: RetentionRule[], names: RetentionName[]) {
  return planRetention(compileRules(rules.map((r, i) => ({ ...r, index: i }))), names, NOW);
}

/** "format name reference" of every decision, for compact assertions. */
export const gone = (result: ReturnType<typeof plan>): string[] => result.decisions.map((d) => (d.build ? `${d.reference}#${d.build}` : d.reference));
