// Globs that callers send (listing filters such as "team/*", "@acme/*", "org.example:*"), matched
// without regular expressions: `*` is any run inside one '/'-separated segment, `**` as a whole
// segment any number of segments (so "team/**" also matches "team"), `?` one character. Work is
// O(glob × name). picomatch compiles globs to backtracking expressions: "*a*a*a*ab" against a
// 200-character name took 4 s and "?(*)" repeated 7.6 s, stalling every client meanwhile.
export const MAX_GLOB = 256;

/** picomatch syntax beyond `*`, `**` and `?`: classes, braces, extglobs, negation, escapes. */
const RICH = /[[\]{}()!|\\]/;

/** Why `glob` is not a simple glob, or undefined when it is. */
export function simpleGlobProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB) return `longer than ${MAX_GLOB} characters`;
  if (RICH.test(glob)) return 'only *, ** and ? are wildcards (no [], {}, (), !, | or \\)';
  return undefined;
}

/** One segment against one pattern segment: greedy, backing up only to the last `*`. */
function segmentMatches(pattern: string, text: string): boolean {
  if (text === '') return pattern === '';
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      while (pattern[p] === '*') p++;
      star = p;
      resume = t;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A matcher for a glob that passed simpleGlobProblem. */
export function simpleGlob(glob: string): (name: string) => boolean {
  const pattern = glob.split('/');
  return (name) => {
    const segments = name.split('/');
    // reach[j]: the pattern so far matches the first j segments of the name.
    let reach: boolean[] = new Array<boolean>(segments.length + 1).fill(false);
    reach[0] = true;
    for (const part of pattern) {
      const next: boolean[] = new Array<boolean>(segments.length + 1).fill(false);
      if (part === '**') {
        let any = false;
        for (let j = 0; j <= segments.length; j++) next[j] = any ||= reach[j]!;
      } else {
        for (let j = 0; j < segments.length; j++) if (reach[j] && segmentMatches(part, segments[j]!)) next[j + 1] = true;
      }
      reach = next;
    }
    return reach[segments.length]!;
  };
}
