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

/** `<a` and a space: where an anchor can start (case-insensitive, as HTML is). */
const ANCHOR_START = /<a\s/gi;
const ANCHOR_END = /<\/a\s*>/gi;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;

/**
 * Every `<a ...>text</a>` of the page, found by scanning forward only (an anchor without its
 * end tag ends the scan), so an upstream page costs time linear in its length: a lazy
 * `<a\s[^>]*>[\s\S]*?</a>` search restarts at every `<a ` and goes quadratic on unclosed ones.
 */
export function parseAnchors(html: string): Anchor[] {
  const anchors: Anchor[] = [];
  for (let at = 0; ;) {
    ANCHOR_START.lastIndex = at;
    const start = ANCHOR_START.exec(html);
    if (!start) break;
    const tagEnd = html.indexOf('>', start.index + start[0].length);
    if (tagEnd === -1) break;
    ANCHOR_END.lastIndex = tagEnd + 1;
    const end = ANCHOR_END.exec(html);
    if (!end) break;
    const attributes = new Map<string, string>();
    for (const attribute of html.slice(start.index + start[0].length, tagEnd).matchAll(ATTRIBUTE)) {
      const name = attribute[1]!.toLowerCase();
      if (!attributes.has(name)) attributes.set(name, decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? ''));
    }
    anchors.push({ attributes, text: decodeEntities(withoutTags(html.slice(tagEnd + 1, end.index))).trim() });
    at = end.index + end[0].length;
  }
  return anchors;
}

/** `text` without its `<...>` tags, in one forward pass. */
function withoutTags(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('<', at);
    if (open === -1) break;
    const close = text.indexOf('>', open + 1);
    if (close === -1) break;
    out += text.slice(at, open);
    at = close + 1;
  }
  return out + text.slice(at);
}
