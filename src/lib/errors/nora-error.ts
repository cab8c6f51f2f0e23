// NORA's one error type: a stable SCREAMING_SNAKE code, the HTTP status it maps to, and a
// message written for the person at the client. Each protocol renders it in its own shape
// (see src/server/errors/), so domain code never knows which client asked.
export class NoraError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly detail?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NoraError';
  }
}

export function isNoraError(error: unknown): error is NoraError {
  return error instanceof NoraError;
}
