// One line of `nora doctor`'s report, and the verdict over all of them.
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  /** What was checked: "store", "upstream npm registry.npmjs.org", "clock", "tls", "port". */
  name: string;
  status: CheckStatus;
  detail: string;
}

export type Verdict = 'healthy' | 'degraded' | 'broken';

/** Any failure breaks the verdict (exit 1); warnings only degrade it. */
export function verdictOf(checks: readonly DoctorCheck[]): Verdict {
  if (checks.some((c) => c.status === 'fail')) return 'broken';
  return checks.some((c) => c.status === 'warn') ? 'degraded' : 'healthy';
}
