// Carries out a retention plan through the format services (one event and one audit line per
// deletion; the bytes go at the next gc). Just before each deletion its name is read again and,
// given the rules, planned again at the plan's time: a tag or version goes only when that fresh
// plan still deletes it (a push, a pull, a new dist-tag or a deleted newer tag since planning can
// make the rules keep it), and a decision whose target changed since planning (a tag pushed again,
// a manifest tagged or listed by a new index) is skipped; so pushes during a run lose nothing the
// rules keep. Tags go before the manifests of their repository.
import type { FormatService, MutationContext } from '../../formats/format-service.js';
import type { FormatSet } from '../formats.js';
import { readName } from './gather.js';
import { RetentionPlanner } from './plan.js';
import type { CompiledRule } from './rules.js';
import type { Decision, RetentionName } from './types.js';

export interface Outcome {
  deleted: Decision[];
  skipped: Array<{ decision: Decision; why: string }>;
  failed: Array<{ decision: Decision; error: string }>;
}

export interface ExecuteOptions {
  context?: MutationContext;
  /** The rules and the time the plan was made with: each decision is re-planned on its name as it is now. */
  replan?: { rules: CompiledRule[]; now: number };
  onProgress?: (done: number, total: number) => void;
}

export async function executePlan(formats: FormatSet, decisions: Decision[], options: ExecuteOptions = {}): Promise<Outcome> {
  const context = options.context ?? { actor: 'retention' };
  const outcome: Outcome = { deleted: [], skipped: [], failed: [] };
  const groups = new Map<string, Decision[]>();
  for (const d of decisions) {
    const key = `${d.format}\u0000${d.name}`;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  let done = 0;
  for (const group of groups.values()) {
    const service = formats[group[0]!.format];
    const planTags = new Set(group.filter((d) => d.kind === 'tag').map((d) => d.reference));
    for (const decision of group) {
      try {
        const now = await readName(service, decision.name);
        const why = changed(now, decision, planTags) ?? (options.replan ? keptNow(now, decision, options.replan) : undefined);
        if (why) outcome.skipped.push({ decision, why });
        else if (await apply(service, decision, context)) outcome.deleted.push(decision);
        else outcome.skipped.push({ decision, why: 'already gone' });
      } catch (error) {
        outcome.failed.push({ decision, error: error instanceof Error ? error.message : String(error) });
      }
      options.onProgress?.(++done, decisions.length);
    }
  }
  return outcome;
}

/** Why the rules keep `d` on the name as it is now (a fresh plan of the name), or undefined when they still delete it. */
function keptNow(now: RetentionName, d: Decision, { rules, now: at }: { rules: CompiledRule[]; now: number }): string | undefined {
  // Manifests follow the tags this plan removes and their subjects, which go one by one: changed() covers them.
  if (d.kind === 'manifest') return undefined;
  const planner = new RetentionPlanner(rules, at);
  planner.add(now);
  const still = planner.finish().decisions.some((x) => x.kind === d.kind && x.reference === d.reference && x.build === d.build && x.action === d.action);
  return still ? undefined : 'the rules keep it now';
}

function apply(service: FormatService, d: Decision, context: MutationContext): Promise<boolean> {
  switch (d.kind) {
    case 'tag': return service.untag ? service.untag(d.name, d.reference, context) : service.delete(d.name, d.reference, context);
    case 'build': return service.deleteBuild!(d.name, d.reference, d.build!, context);
    case 'manifest': return service.delete(d.name, d.reference, context);
    case 'version': return d.action === 'yank' ? service.yank!(d.name, d.reference, true, context) : service.delete(d.name, d.reference, context);
  }
}

/** Why `d` no longer holds for the name as it is now, or undefined when it still does. */
function changed(now: RetentionName, d: Decision, planTags: Set<string>): string | undefined {
  if (d.kind === 'manifest') {
    const m = now.manifests?.find((x) => x.digest === d.reference);
    if (!m) return 'already gone';
    const tagged = m.tags.find((t) => !planTags.has(t));
    if (tagged) return `tagged ${tagged} since planned`;
    const parent = now.manifests?.find((x) => x.children.includes(d.reference) && x.tags.some((t) => !planTags.has(t)));
    if (parent) return `listed by ${parent.digest} since planned`;
    if ((m.lastPulled ?? '') > (d.lastPulled ?? '')) return 'pulled since planned';
    return undefined;
  }
  const unit = now.units.find((u) => u.version === d.reference);
  if (!unit) return 'already gone';
  if (unit.digest !== d.digest) return `pushed again since planned (now ${unit.digest})`;
  if (d.kind !== 'build' && unit.pushed !== d.pushed) return 'pushed again since planned';
  if (unit.tags?.length) return `dist-tag ${unit.tags[0]} since planned`;
  if (d.kind === 'build' && !unit.builds?.some((b) => b.build === d.build && b.pushed === d.pushed)) return 'build changed since planned';
  return undefined;
}
