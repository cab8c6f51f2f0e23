// The cardinality guard of the per-repository metrics: which FORMAT:NAME gets its own series.
// A name gets one when it matches `[metrics] repositories` (every name when that is empty) and
// fewer than `max_series` names have one; it keeps it for the life of the process, because a
// Prometheus counter must never move to another series (a name moving into "(other)" would make
// "(other)" jump, and one leaving it would look like a counter reset). Everything else counts
// under OTHER. Memory is bounded by max_series whatever names the network sends.
import { simpleGlob } from '../glob/simple-glob.js';

/** The repository label of names without their own series; "(other)" is no valid name in any format. */
export const OTHER = '(other)';

export interface RepositoryLabelOptions {
  /** Most names with their own series. */
  maxSeries: number;
  /** FORMAT:GLOB (or a bare GLOB for every format) entries; empty admits every name. */
  allow: readonly string[];
}

export class RepositoryLabels {
  private readonly admitted = new Set<string>();
  private readonly matchers: Array<(format: string, name: string) => boolean>;

  constructor(private readonly options: RepositoryLabelOptions) {
    this.matchers = options.allow.map((entry) => {
      const colon = entry.indexOf(':');
      const format = colon < 0 ? '*' : entry.slice(0, colon);
      const glob = simpleGlob(colon < 0 ? entry : entry.slice(colon + 1));
      return (f: string, name: string) => (format === '*' || format === f) && glob(name);
    });
  }

  /** The repository label of `name` of `format`: the name itself, or OTHER. */
  label(format: string, name: string): string {
    const key = `${format}:${name}`;
    if (this.admitted.has(key)) return name;
    if (this.admitted.size >= this.options.maxSeries) return OTHER;
    if (this.matchers.length > 0 && !this.matchers.some((m) => m(format, name))) return OTHER;
    this.admitted.add(key);
    return name;
  }
}
