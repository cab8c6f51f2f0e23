// One [[<format>.upstreams]] table with the schema's defaults, for tests that set upstreams in
// code rather than in a config file.
import type { ConfigProblem } from '../../src/lib/config/config-error.js';
import { resolveTable } from '../../src/lib/config/resolve.js';
import { schema, type NoraConfig } from '../../src/lib/config/schema.js';

type Format = 'docker' | 'npm' | 'maven' | 'pypi' | 'cargo';

export function upstreamConfig<F extends Format>(format: F, url: string, values: Record<string, unknown> = {}): NoraConfig[F]['upstreams'][number] {
  const problems: ConfigProblem[] = [];
  const item = resolveTable(schema[format].upstreams.item, { url, ...values }, [format, 'upstreams', '0'], { problems, origin: () => undefined });
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return item as NoraConfig[F]['upstreams'][number];
}
