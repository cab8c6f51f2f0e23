// What a replication run reports as it goes (one JSON line each with --json) and at its end.
export type ArtifactStatus = 'copied' | 'skipped' | 'would-copy' | 'filtered' | 'failed';

export type ReplicateEvent =
  | { type: 'plan'; repositories: number; artifacts: number }
  | { type: 'artifact'; status: ArtifactStatus; repo: string; reference: string; source?: string; digest?: string; size: number; bytes: number; reason?: string; referrer?: string; /** Package formats: dist-tag, yank and deprecation changes made. */ updates?: string[] }
  | { type: 'blob'; status: 'copied' | 'skipped' | 'mounted'; repo: string; digest: string; size: number; from?: string }
  | { type: 'bytes'; digest: string; done: number; total: number }
  | { type: 'retry'; what: string; attempt: number; wait_ms: number; reason: string };

export interface Failure {
  /** "repo:tag" or "repo@digest" at the source, or the repository when listing it failed. */
  artifact: string;
  code: string;
  reason: string;
}

export interface ReplicateSummary {
  dryRun: boolean;
  copied: number;
  skipped: number;
  filtered: number;
  failed: number;
  /** Bytes sent to the destination (dry run: that would be sent). */
  bytes: number;
  durationMs: number;
  /** Bytes per second over the run. */
  throughput: number;
  failures: Failure[];
}
