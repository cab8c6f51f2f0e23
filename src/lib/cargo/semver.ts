// Semantic versions as cargo uses them (https://semver.org): parsing, the identity under which
// two versions are "the same release" (build metadata ignored, as crates.io does), ordering
// for max_version, and a syntax check of dependency requirements ("^1.2", ">=1, <2", "*").
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  pre: string[];
  build: string;
}

const NUM = '(0|[1-9]\\d*)';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const VERSION = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`);
const MAX_LENGTH = 256;

/** Parses a version; undefined unless it is strict semver with numbers cargo can hold. */
export function parseVersion(text: string): SemVer | undefined {
  if (text.length > MAX_LENGTH) return undefined;
  const match = VERSION.exec(text);
  if (!match) return undefined;
  const [major, minor, patch] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  if (![major, minor, patch].every(Number.isSafeInteger)) return undefined;
  return { major, minor, patch, pre: match[4]?.split('.') ?? [], build: match[5] ?? '' };
}

/** The version without build metadata: `1.0.0+a` and `1.0.0+b` are one release. */
export function releaseKey(text: string): string {
  return text.split('+', 1)[0]!;
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i]!, b[i]!];
    const [xn, yn] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (xn && yn && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (xn !== yn) return xn ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Semver precedence (build metadata ignored). */
export function compareVersions(a: SemVer, b: SemVer): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePre(a.pre, b.pre);
}

const PART = '(?:0|[1-9]\\d*|\\*|x|X)';
const COMPARATOR = new RegExp(`^(?:=|>=|<=|>|<|~|\\^)?\\s*${PART}(?:\\.${PART}(?:\\.${PART}(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?)?$`);

/** True when `text` is a cargo version requirement: comma-separated comparators, or `*`. */
export function isVersionReq(text: string): boolean {
  if (text.length === 0 || text.length > MAX_LENGTH) return false;
  return text.split(',').every((part) => COMPARATOR.test(part.trim()));
}
