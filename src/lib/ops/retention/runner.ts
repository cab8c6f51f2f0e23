// Retention inside `nora serve`: one pass at a time per process, started by `[retention]
// schedule` (croner) or POST /api/retention; GET /api/retention reads the running pass or the
// last one. Deletions go through the format services, so a concurrent `nora retention` on the
// same store only finds some decisions already done (skipped as "already gone").
import { Cron } from 'croner';
import type { Services } from '../../services.js';
import { OpsErrors } from '../errors.js';
import { emptyCacheReport } from './cache.js';
import { runPass, type PassReport } from './pass.js';
import { emptyReport } from './run.js';

export interface RetentionRequest { dryRun?: boolean }

export class RetentionRunner {
  private report: PassReport = { ...emptyReport(false), cache: emptyCacheReport() };
  private running = false;
  private cron: Cron | undefined;

  constructor(private readonly services: Services, private readonly onError: (error: unknown) => void = () => undefined, private readonly now: () => number = Date.now) {}

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
      if (report.error) this.onError(new Error(`retention failed: ${report.error}`));
      return report;
    }).finally(() => { this.running = false; });
    return run;
  }

  /** Follows `[retention] schedule` (nothing when empty); a tick during a pass is skipped. */
  schedule(): void {
    const pattern = this.services.config.retention.schedule;
    if (!pattern) return;
    this.cron = new Cron(pattern, { protect: true }, () => {
      if (!this.running) this.start().catch(this.onError);
    });
  }

  stop(): void {
    this.cron?.stop();
  }
}
