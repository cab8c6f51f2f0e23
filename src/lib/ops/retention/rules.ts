// Retention rules as the planner uses them: [[retention.rules]] compiled once into matchers.
// `match` is REPO_GLOB/TAG_GLOB: everything before the last "/" globs the name (the format's
// access name: "team/app", "@acme/lib", "org/example/lib"), the last segment the tag or version.
// Globs are the linear simple globs (lib/glob/simple-glob.ts): `*` one segment, `**` any.
import type { NoraConfig } from '../../config/schema.js';
import type { FormatName } from '../../formats/format-service.js';
import { simpleGlob } from '../../glob/simple-glob.js';

export interface RetentionRule {
  /** Position in [[retention.rules]] (0-based), how decisions name their rule. */
  index: number;
  match: string;
  format?: FormatName;
  keepLast?: number;
  olderThanMs?: number;
  notPulledForMs?: number;
  keepLastPulled?: number;
  protect: string[];
  allowEmpty: boolean;
  untaggedOlderThanMs?: number;
  action: 'yank' | 'delete';
}

export interface CompiledRule extends RetentionRule {
  matchesName(name: string): boolean;
  matchesVersion(version: string): boolean;
  isProtected(version: string): boolean;
}

type RuleConfig = NoraConfig['retention']['rules'][number];

/** The typed rule of one config table (absent counts are -1, absent durations 0). */
export function ruleFromConfig(config: RuleConfig, index: number): RetentionRule {
  return {
    index, match: config.match, protect: config.protect, allowEmpty: config.allow_empty, action: config.action,
    ...(config.format ? { format: config.format } : {}),
    ...(config.keep_last >= 0 ? { keepLast: config.keep_last } : {}),
    ...(config.older_than > 0 ? { olderThanMs: config.older_than } : {}),
    ...(config.not_pulled_for > 0 ? { notPulledForMs: config.not_pulled_for } : {}),
    ...(config.keep_last_pulled >= 0 ? { keepLastPulled: config.keep_last_pulled } : {}),
    ...(config.untagged_older_than > 0 ? { untaggedOlderThanMs: config.untagged_older_than } : {}),
  };
}

export function compileRule(rule: RetentionRule): CompiledRule {
  const slash = rule.match.lastIndexOf('/');
  const name = simpleGlob(rule.match.slice(0, slash));
  const version = simpleGlob(rule.match.slice(slash + 1));
  const protect = rule.protect.map((glob) => simpleGlob(glob));
  return { ...rule, matchesName: name, matchesVersion: version, isProtected: (v) => protect.some((p) => p(v)) };
}

export const compileRules = (rules: RetentionRule[]): CompiledRule[] => rules.map(compileRule);

export const rulesFromConfig = (config: NoraConfig['retention']): CompiledRule[] => compileRules(config.rules.map(ruleFromConfig));

/** True when the rule applies to `format` at all. */
export const coversFormat = (rule: RetentionRule, format: FormatName): boolean => rule.format === undefined || rule.format === format;
