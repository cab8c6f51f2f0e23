// Reads a Prometheus text exposition: sample values by series, and the metric families declared.
export interface Exposition {
  /** The value of the series `name{labels}` (labels in any order), or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every family a `# TYPE` line declares. */
  families: Set<string>;
  text: string;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Exposition {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type) { families.add(type[1]!); continue; }
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return {
    families,
    text,
    value(name, labels = {}) {
      const found = samples.find((s) => s.name === name && Object.keys(labels).length === Object.keys(s.labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      return found?.value;
    },
  };
}

export async function scrape(url: string): Promise<Exposition> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
  return parseExposition(await res.text());
}

/** The metric families an expression names (histogram _bucket/_sum/_count map to their family). */
export function metricsOfExpr(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\bnora_[a-z0-9_]+/g)].map((m) => m[0]))];
}

/** Whether `exposition` exports `metric` (a family, or a histogram's _bucket/_sum/_count series). */
export function exports(exposition: Exposition, metric: string): boolean {
  if (exposition.families.has(metric)) return true;
  const family = metric.replace(/_(bucket|sum|count)$/, '');
  return family !== metric && exposition.families.has(family);
}
