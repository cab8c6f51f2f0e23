// Maven version ordering (a compact form of Maven's ComparableVersion: numbers compare
// numerically, qualifiers alpha < beta < milestone < rc < snapshot < release < sp < others) and
// the UTC timestamp formats maven-metadata.xml uses.
// https://maven.apache.org/pom.html#version-order-specification
type Token = { n: bigint } | { s: string };

const QUALIFIERS: Record<string, number> = { alpha: 0, a: 0, beta: 1, b: 1, milestone: 2, m: 2, rc: 3, cr: 3, snapshot: 4, '': 5, ga: 5, final: 5, release: 5, sp: 6 };
const RELEASE_RANK = 5;

function tokenize(version: string): Token[] {
  const parts = version.toLowerCase().match(/\d+|[a-z]+/g) ?? [];
  const tokens: Token[] = parts.map((p) => (/^\d/.test(p) ? { n: BigInt(p) } : { s: p }));
  // "1.0.0" equals "1", "1.0-ga" equals "1": trailing zeros and release qualifiers carry nothing.
  while (tokens.length > 0) {
    const t = tokens.at(-1)!;
    if (('n' in t && t.n === 0n) || ('s' in t && QUALIFIERS[t.s] === RELEASE_RANK)) tokens.pop();
    else break;
  }
  return tokens;
}

function compareStrings(a: string, b: string): number {
  const ra = QUALIFIERS[a] ?? 7;
  const rb = QUALIFIERS[b] ?? 7;
  if (ra !== rb) return ra - rb;
  return ra === 7 ? (a < b ? -1 : a > b ? 1 : 0) : 0;
}

function compareTokens(a: Token | undefined, b: Token | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return -compareTokens(b, a);
  if (b === undefined) return 'n' in a ? (a.n > 0n ? 1 : 0) : compareStrings(a.s, '');
  if ('n' in a && 'n' in b) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
  if ('s' in a && 's' in b) return compareStrings(a.s, b.s);
  return 'n' in a ? 1 : -1;
}

/** Negative, zero or positive as `a` orders before, with or after `b`. */
export function compareVersions(a: string, b: string): number {
  const ta = tokenize(a);
  const tb = tokenize(b);
  for (let i = 0; i < Math.max(ta.length, tb.length); i++) {
    const c = compareTokens(ta[i], tb[i]);
    if (c !== 0) return c;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** yyyyMMddHHmmss in UTC, the <lastUpdated> and <updated> format. */
export function metadataTimestamp(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/** yyyyMMdd.HHmmss in UTC, the timestamp in SNAPSHOT file names. */
export function snapshotTimestamp(date: Date): string {
  const t = metadataTimestamp(date);
  return `${t.slice(0, 8)}.${t.slice(8)}`;
}
