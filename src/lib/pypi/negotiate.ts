// PEP 691 content negotiation: the client's Accept header (with quality values and wildcards)
// or the `?format=` query parameter picks JSON, the versioned HTML type or plain text/html.
// https://peps.python.org/pep-0691/#version-format-selection
export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
export const SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';
export const TEXT_HTML = 'text/html';
export type SimpleType = typeof SIMPLE_JSON | typeof SIMPLE_HTML | typeof TEXT_HTML;

const ALIASES: Record<string, SimpleType> = {
  [SIMPLE_JSON]: SIMPLE_JSON,
  'application/vnd.pypi.simple.latest+json': SIMPLE_JSON,
  [SIMPLE_HTML]: SIMPLE_HTML,
  'application/vnd.pypi.simple.latest+html': SIMPLE_HTML,
  [TEXT_HTML]: TEXT_HTML,
};
// On a tie the server's preference: plain HTML for `*/*` (what browsers and old tools expect).
const PREFERENCE: SimpleType[] = [SIMPLE_JSON, SIMPLE_HTML, TEXT_HTML];

interface Range { type: string; q: number; index: number }

function parseAccept(header: string): Range[] {
  return header.split(',').flatMap((part, index) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!type) return [];
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    return Number.isFinite(q) ? [{ type, q: Math.min(Math.max(q, 0), 1), index }] : [];
  });
}

function matches(range: string, type: SimpleType): number {
  if (ALIASES[range] === type) return 2;
  const [major] = type.split('/');
  if (range === `${major}/*`) return 1;
  return range === '*/*' ? 0 : -1;
}

/** The type to answer with, or undefined when nothing offered is acceptable (406). */
export function negotiate(accept: string | undefined, format?: string): SimpleType | undefined {
  if (format !== undefined && format !== '') return ALIASES[format.trim().toLowerCase()];
  if (!accept || accept.trim() === '') return TEXT_HTML;
  const ranges = parseAccept(accept);
  let best: { type: SimpleType; score: number[] } | undefined;
  for (const type of PREFERENCE) {
    // The most specific range naming the type decides its quality (RFC 9110 section 12.5.1).
    const range = ranges
      .map((r) => ({ r, specificity: matches(r.type, type) }))
      .filter((m) => m.specificity >= 0)
      .sort((a, b) => b.specificity - a.specificity || a.r.index - b.r.index)[0];
    if (!range || range.r.q <= 0) continue;
    const score = [range.r.q, range.specificity, -range.r.index, PREFERENCE.indexOf(type)];
    if (!best || compare(score, best.score) > 0) best = { type, score };
  }
  return best?.type;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
