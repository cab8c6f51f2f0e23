// Why a configuration cannot be used: one or more problems, each naming the key and where it
// came from (file and line, environment variable, or flag). Commands exit with code 2 on it.
export interface ConfigProblem {
  key: string;
  message: string;
  /** Where the bad value came from: "nora.toml:12", "env NORA_SERVER_PORT", "flag --port". */
  origin?: string;
}

export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

function formatProblem(p: ConfigProblem): string {
  const where = p.origin ? `${p.origin}: ` : '';
  return p.key ? `${where}${p.key}: ${p.message}` : `${where}${p.message}`;
}
