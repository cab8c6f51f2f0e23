// Carries out a retention plan through the format services (one event and one audit line per
// deletion; the bytes go at the next gc). Each name is re-read just before its decisions run, and a
// decision whose target changed since planning (a tag pushed again, a version dist-tagged, a
// manifest tagged) is skipped, so pushes during a run lose nothing the rules keep. Tags go before
// the manifests of their repository.
import type { FormatService, MutationContext } from '../../formats/format-service.js';
import type { FormatSet } from '../formats.js';
import { readName } from './gather.js';
import type { Decision, RetentionName } from './types.js';

export interface Outcome {
  deleted: Decision[];
  skipped: Array<{ decision: Decision; why: string }>;
  failed: Array<{ decision: Decision; error: string }>;
}

export interface ExecuteOptions {
  context?: MutationContext;
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
    const now = await readName(service, group[0]!.name);
    const planTags = new Set(group.filter((d) => d.kind === 'tag').map((d) => d.reference));
    for (const decision of group) {
      const why = changed(now, decision, planTags);
      try {
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
    return tagged ? `tagged ${tagged} since planned` : undefined;
  }
  const unit = now.units.find((u) => u.version === d.reference);
  if (!unit) return 'already gone';
  if (unit.digest !== d.digest) return `pushed again since planned (now ${unit.digest})`;
  if (d.kind !== 'build' && unit.pushed !== d.pushed) return 'pushed again since planned';
  if (unit.tags?.length) return `dist-tag ${unit.tags[0]} since planned`;
  if (d.kind === 'build' && !unit.builds?.some((b) => b.build === d.build && b.pushed === d.pushed)) return 'build changed since planned';
  return undefined;
}
