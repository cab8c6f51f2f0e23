// The state of a garbage collection run, shared by the CLI (progress lines) and GET /api/gc.
export type GcPhase = 'idle' | 'uploads' | 'links' | 'mark' | 'sweep' | 'done' | 'failed';

export interface GcReport {
  dryRun: boolean;
  phase: GcPhase;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  uploadsRemoved: number;
  tempRemoved: number;
  linksRemoved: number;
  /** Blobs found in gc-trash/ (an interrupted or concurrent run's) and put back. */
  restored: number;
  marked: number;
  scanned: number;
  candidates: number;
  blobsFreed: number;
  bytesFreed: number;
  /** Digests deleted (or, in a dry run, that would be), capped at 10,000 entries. */
  deleted: { digest: string; size: number }[];
  error?: string;
}

const empty = (dryRun: boolean): GcReport => ({
  dryRun, phase: 'idle', uploadsRemoved: 0, tempRemoved: 0, linksRemoved: 0, restored: 0, marked: 0, scanned: 0, candidates: 0, blobsFreed: 0, bytesFreed: 0, deleted: [],
});

export class GcProgress {
  report: GcReport = empty(false);
  private started = 0;

  constructor(private readonly onChange: (report: GcReport) => void = () => undefined) {}

  get running(): boolean {
    return !['idle', 'done', 'failed'].includes(this.report.phase);
  }

  begin(dryRun: boolean): void {
    this.started = Date.now();
    this.report = { ...empty(dryRun), startedAt: new Date(this.started).toISOString() };
  }

  phase(phase: GcPhase): void {
    this.report.phase = phase;
    this.onChange(this.report);
  }

  freed(digest: string, size: number): void {
    this.report.blobsFreed++;
    this.report.bytesFreed += size;
    if (this.report.deleted.length < 10_000) this.report.deleted.push({ digest, size });
    if (this.report.blobsFreed % 100 === 0) this.onChange(this.report);
  }

  finish(): GcReport {
    this.report.finishedAt = new Date().toISOString();
    this.report.durationMs = Date.now() - this.started;
    this.phase('done');
    return this.report;
  }

  fail(error: unknown): void {
    this.report.error = error instanceof Error ? error.message : String(error);
    this.report.durationMs = Date.now() - this.started;
    this.phase('failed');
  }
}
