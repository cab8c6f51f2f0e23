// The part of a pino logger the pull-through caches write to: stale answers, failed downloads.
export interface UpstreamLog {
  warn(fields: Record<string, unknown>, message: string): void;
}
