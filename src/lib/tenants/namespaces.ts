// A tenant's namespaces: "FORMAT:GLOB" strings ("oci:backend/**", "npm:@backend/*",
// "maven:com.acme.backend.**", "cargo:backend-*", "pypi:backend-*"), matched against the format
// service's access name (Maven's "com/acme/backend/app": a Maven glob's dots are segments). Globs
// are simple globs (lib/glob/simple-glob.ts): linear matching, no picomatch backtracking.
import { FORMATS, type FormatName } from '../formats/format-service.js';
import { simpleGlob, simpleGlobProblem } from '../glob/simple-glob.js';

export interface Namespace {
  format: FormatName;
  /** As written (after "FORMAT:"). */
  glob: string;
  /** The glob over access names (Maven: dots become '/'). */
  accessGlob: string;
  matches: (accessName: string) => boolean;
}

/** The namespaces a tenant gets when it lists none. */
export const defaultNamespaces = (tenant: string): string[] => [`oci:${tenant}/**`, `npm:@${tenant}/*`];

/** Parses "FORMAT:GLOB", or says why it cannot. */
export function parseNamespace(text: string): Namespace | string {
  const colon = text.indexOf(':');
  const format = text.slice(0, colon);
  const glob = text.slice(colon + 1);
  if (colon <= 0) return `"${text}": expected FORMAT:GLOB such as "oci:team/**"`;
  if (!(FORMATS as readonly string[]).includes(format)) return `"${text}": unknown format "${format}" (one of ${FORMATS.join(', ')})`;
  if (glob === '') return `"${text}": the glob is empty`;
  const problem = simpleGlobProblem(glob);
  if (problem) return `"${text}": ${problem}`;
  const accessGlob = format === 'maven' ? glob.replaceAll('.', '/').replaceAll(':', '/') : glob;
  const match = simpleGlob(accessGlob);
  return { format: format as FormatName, glob, accessGlob, matches: match };
}

/** The text before the first wildcard: names a glob matches all start with it. */
const literalPrefix = (glob: string): string => glob.slice(0, Math.min(...['*', '?'].map((c) => (glob.includes(c) ? glob.indexOf(c) : glob.length))));

/** Names the glob matches: every wildcard replaced by "x", and "/**" also by no segment at all. */
const samplesOf = (glob: string): string[] => [glob, glob.replaceAll('/**', '')].map((g) => g.replaceAll('**', 'x').replaceAll('*', 'x').replaceAll('?', 'x'));

/**
 * True when some name may belong to both namespaces. Decided by the literal prefixes (names of
 * both must start with each) and by each glob matching a sample name of the other; two globs
 * whose prefixes nest but which match no common sample ("a/*.x", "a/b/**") are told apart.
 */
export function overlaps(a: Namespace, b: Namespace): boolean {
  if (a.format !== b.format) return false;
  const pa = literalPrefix(a.accessGlob);
  const pb = literalPrefix(b.accessGlob);
  if (!pa.startsWith(pb) && !pb.startsWith(pa)) return false;
  return a.accessGlob === b.accessGlob || samplesOf(b.accessGlob).some(a.matches) || samplesOf(a.accessGlob).some(b.matches);
}
