// Reads the anchors of a PEP 503 HTML page: each <a> with its attributes (names lowercased,
// values with character references decoded) and its text. Enough HTML for index pages, which
// are machine-written; anything else on the page is ignored.
export interface Anchor {
  attributes: Map<string, string>;
  text: string;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes &name;, &#123; and &#x7b; references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

const ANCHOR = /<a\s([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;

export function parseAnchors(html: string): Anchor[] {
  const anchors: Anchor[] = [];
  for (const match of html.matchAll(ANCHOR)) {
    const attributes = new Map<string, string>();
    for (const attribute of match[1]!.matchAll(ATTRIBUTE)) {
      const name = attribute[1]!.toLowerCase();
      if (!attributes.has(name)) attributes.set(name, decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? ''));
    }
    anchors.push({ attributes, text: decodeEntities(match[2]!.replace(/<[^>]*>/g, '')).trim() });
  }
  return anchors;
}
