// One retention pass: plan from the format services' listings, then (unless a dry run) execute
// exactly the plan. The report carries every decision, so a dry run's list and a real run's are
// the same list (a test asserts it), and what the real run skipped because a push changed it.
import type { FormatSet } from '../formats.js';
import type { MutationContext } from '../../formats/format-service.js';
import { executePlan, type Outcome } from './execute.js';
import { gatherNames } from './gather.js';
import { RetentionPlanner } from './plan.js';
import type { CompiledRule } from './rules.js';
import type { Decision } from './types.js';

export interface RetentionReport {
  dryRun: boolean;
  phase: 'idle' | 'plan' | 'delete' | 'done' | 'failed';
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** The names and items looked at, and how many were kept. */
  names: number;
  considered: number;
  kept: number;
  /** What the plan deletes (a dry run: would delete), each with its rule, reason and bytes. */
  decisions: Decision[];
  /** Bytes gc frees after the plan's deletions (its grace window later). */
  bytes: number;
  /** Real run: how many decisions were carried out, and the ones skipped or failed. */
  deleted: number;
  skipped: Outcome['skipped'];
  failed: Outcome['failed'];
  error?: string;
}

export const emptyReport = (dryRun: boolean): RetentionReport => ({
  dryRun, phase: 'idle', names: 0, considered: 0, kept: 0, decisions: [], bytes: 0, deleted: 0, skipped: [], failed: [],
});

export interface RetentionOptions {
  formats: FormatSet;
  rules: CompiledRule[];
  dryRun?: boolean;
  /** The clock ages are measured with (default: the system clock). */
  now?: () => number;
  context?: MutationContext;
  /** Runs between planning and deleting (tests put a push or a pull there). */
  afterPlan?: () => Promise<void>;
  /** Called as the report changes (phase changes, every name planned, every decision done). */
  onProgress?: (report: RetentionReport, done: number, total: number) => void;
}

export async function runRetention(options: RetentionOptions): Promise<RetentionReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const report: RetentionReport = { ...emptyReport(options.dryRun ?? false), phase: 'plan', startedAt: new Date(started).toISOString() };
  const progress = options.onProgress ?? (() => undefined);
  try {
    progress(report, 0, 0);
    const planner = new RetentionPlanner(options.rules, started);
    let names = 0;
    for await (const entry of gatherNames(options.formats, options.rules)) {
      planner.add(entry);
      progress(report, ++names, 0);
    }
    const plan = planner.finish();
    Object.assign(report, { names: plan.names, considered: plan.considered, kept: plan.kept, decisions: plan.decisions, bytes: plan.bytes });
    if (!report.dryRun) {
      report.phase = 'delete';
      progress(report, 0, plan.decisions.length);
      await options.afterPlan?.();
      const outcome = await executePlan(options.formats, plan.decisions, {
        ...(options.context ? { context: options.context } : {}),
        replan: { rules: options.rules, now: started },
        onProgress: (done, total) => progress(report, done, total),
      });
      Object.assign(report, { deleted: outcome.deleted.length, skipped: outcome.skipped, failed: outcome.failed });
    }
    report.phase = 'done';
  } catch (error) {
    report.phase = 'failed';
    report.error = error instanceof Error ? error.message : String(error);
  }
  report.finishedAt = new Date(now()).toISOString();
  report.durationMs = now() - started;
  progress(report, 0, 0);
  return report;
}
