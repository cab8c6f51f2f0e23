// Finds the line of a key in TOML source text, so config errors can say "nora.toml:12". TOML
// parsers return values without positions; this scans headers ([a.b], [[a.b]]) and `key =` lines,
// which covers how config files are written. Returns undefined when the key is not spelled out.
const BARE_OR_QUOTED = /(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')/.source;
const HEADER = new RegExp(`^\\s*(\\[\\[?)\\s*(${BARE_OR_QUOTED}(?:\\s*\\.\\s*${BARE_OR_QUOTED})*)\\s*\\]\\]?`);
const ASSIGNMENT = new RegExp(`^\\s*(${BARE_OR_QUOTED}(?:\\s*\\.\\s*${BARE_OR_QUOTED})*)\\s*=`);

function splitKey(text: string): string[] {
  return [...text.matchAll(new RegExp(BARE_OR_QUOTED, 'g'))].map((m) => m[0].replace(/^["']|["']$/g, ''));
}

/** 1-based line of `path` (e.g. ["server", "port"] or ["auth", "rules", "0", "subject"]). */
export function locateKey(source: string, path: string[]): number | undefined {
  const wanted = path.join('\u0000');
  const arrayCounts = new Map<string, number>();
  let prefix: string[] = [];
  let best: { line: number; depth: number } | undefined;
  const consider = (full: string[], line: number) => {
    if (full.join('\u0000') === wanted) best = { line, depth: Infinity };
    // A partial match (a table header, or an inline table holding the key) is a fallback.
    const depth = full.length;
    if (depth <= path.length && full.every((k, i) => k === path[i]) && (!best || depth > best.depth)) best = { line, depth };
  };
  source.split(/\r?\n/).forEach((text, index) => {
    if (best?.depth === Infinity) return;
    const line = index + 1;
    const header = HEADER.exec(text);
    if (header) {
      const keys = splitKey(header[2]!);
      if (header[1] === '[[') {
        const name = keys.join('.');
        const n = arrayCounts.get(name) ?? 0;
        arrayCounts.set(name, n + 1);
        prefix = [...keys, String(n)];
      } else {
        prefix = keys;
      }
      consider(prefix, line);
      return;
    }
    const assignment = ASSIGNMENT.exec(text);
    if (assignment) consider([...prefix, ...splitKey(assignment[1]!)], line);
  });
  return best?.line;
}
