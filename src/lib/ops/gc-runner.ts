// Garbage collection inside `nora serve`: one run at a time per process, started by the
// `[gc] schedule` cron (croner; with several servers on one store only the holder of the "gc"
// lease runs a tick's collection) or POST /api/gc, its progress readable by GET /api/gc while it
// runs and its report afterwards. Other processes (`nora gc`) may collect the same store at the
// same time; each run is safe against concurrent pushes and against the other (deletes are
// idempotent).
import { Cron } from 'croner';
import { Leases } from '../coordination/leases.js';
import { runScheduledPass } from './scheduled-pass.js';
import type { Services } from '../services.js';
import { OpsErrors } from './errors.js';
import { opsMetrics } from './ops-metrics.js';
import { runGc } from './gc.js';
import { GcProgress, type GcReport } from './gc-progress.js';

export interface GcRequest { dryRun?: boolean; graceMs?: number }

const runners = new WeakMap<Services, GcRunner>();

/** The one runner of a process's services: the API starts runs, the UI shows the last one. */
export function gcRunnerFor(services: Services, onError?: (error: unknown) => void): GcRunner {
  let runner = runners.get(services);
  if (!runner) {
    runner = new GcRunner(services, onError);
    runners.set(services, runner);
  }
  return runner;
}

export class GcRunner {
  private readonly progress = new GcProgress();
  private cron: Cron | undefined;

  private readonly leases: Leases;

  constructor(private readonly services: Services, private readonly onError: (error: unknown) => void = () => undefined, leases?: Leases) {
    this.leases = leases ?? new Leases(services.store);
    opsMetrics(services.metrics); // exported from the start, before any run
  }

  get state(): GcReport {
    return this.progress.report;
  }

  /** Starts a run in the background; GC_RUNNING when one is already running here. */
  start(request: GcRequest = {}): Promise<GcReport> {
    if (this.progress.running) throw OpsErrors.GC_RUNNING();
    const { gc } = this.services.config;
    const run = runGc(this.services.store, this.services.blobs, {
      formats: this.services.formats, graceMs: request.graceMs ?? gc.grace, uploadTtlMs: gc.upload_ttl, dryRun: request.dryRun ?? false, progress: this.progress,
    });
    const metrics = opsMetrics(this.services.metrics);
    run.then((report) => metrics.gcFinished(report), (error: unknown) => { metrics.gcFinished(this.progress.report); this.onError(error); });
    return run;
  }

  /** Follows `[gc] schedule` (nothing when empty); a tick during a run is skipped. */
  schedule(): void {
    const pattern = this.services.config.gc.schedule;
    if (!pattern) return;
    this.cron = new Cron(pattern, { protect: true }, async (cron: Cron) => {
      await this.tick(cron.msToNext());
    });
  }

  /** One scheduled tick: runs here only when this server takes the store's "gc" lease (scheduled-pass.ts). */
  async tick(msToNext: number | null): Promise<boolean> {
    if (this.progress.running) return false;
    try {
      return await runScheduledPass({ leases: this.leases, name: 'gc', msToNext }, () => this.start().catch(() => undefined));
    } catch (error) {
      this.onError(error);
      return false;
    }
  }

  stop(): void {
    this.cron?.stop();
  }
}
