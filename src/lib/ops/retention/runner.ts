// Retention inside `nora serve`: one pass at a time per process, started by `[retention]
// schedule` (croner; with several servers on one store, only the one holding the "retention"
// lease runs a tick's pass) or POST /api/retention; GET /api/retention reads the running pass or
// the last one. Deletions go through the format services, so a concurrent `nora retention` on the
// same store only finds some decisions already done (skipped as "already gone").
import { Cron } from 'croner';
import { Leases } from '../../coordination/leases.js';
import { runScheduledPass } from '../scheduled-pass.js';
import type { Services } from '../../services.js';
import { OpsErrors } from '../errors.js';
import { opsMetrics } from '../ops-metrics.js';
import { emptyCacheReport } from './cache.js';
import { runPass, type PassReport } from './pass.js';
import { emptyReport } from './run.js';

export interface RetentionRequest { dryRun?: boolean }

export class RetentionRunner {
  private report: PassReport = { ...emptyReport(false), cache: emptyCacheReport() };
  private running = false;
  private cron: Cron | undefined;

  private readonly leases: Leases;

  constructor(private readonly services: Services, private readonly onError: (error: unknown) => void = () => undefined, private readonly now: () => number = Date.now, leases?: Leases) {
    this.leases = leases ?? new Leases(services.store, { now });
    opsMetrics(services.metrics); // exported from the start, before any pass
  }

  get state(): PassReport {
    return this.report;
  }

  /** Starts a pass in the background; RETENTION_RUNNING when one is already running here. */
  start(request: RetentionRequest = {}): Promise<PassReport> {
    if (this.running) throw OpsErrors.RETENTION_RUNNING();
    this.running = true;
    const run = runPass(this.services, {
      dryRun: request.dryRun ?? false, now: this.now,
      onProgress: (report) => { this.report = report; },
    }).then((report) => {
      this.report = report;
      opsMetrics(this.services.metrics).retentionFinished(report);
      if (report.error) this.onError(new Error(`retention failed: ${report.error}`));
      return report;
    }).finally(() => { this.running = false; });
    return run;
  }

  /** Follows `[retention] schedule` (nothing when empty); a tick during a pass is skipped. */
  schedule(): void {
    const pattern = this.services.config.retention.schedule;
    if (!pattern) return;
    this.cron = new Cron(pattern, { protect: true }, async (cron: Cron) => {
      await this.tick(cron.msToNext());
    });
  }

  /**
   * One scheduled tick: the pass runs here only when this server takes the store's "retention"
   * lease (scheduled-pass.ts), so several servers on one store run one pass. True when it ran.
   */
  async tick(msToNext: number | null): Promise<boolean> {
    if (this.running) return false;
    try {
      return await runScheduledPass({ leases: this.leases, name: 'retention', msToNext }, () => this.start());
    } catch (error) {
      this.onError(error);
      return false;
    }
  }

  stop(): void {
    this.cron?.stop();
  }
}
