// Values read out of maven-metadata.xml (from clients and upstreams) by linear scans: every
// search starts where the previous one stopped, so a document costs time proportional to its
// length whatever it holds. Regular expressions such as `<v>\s*([^<]*?)\s*</v>` backtrack: a few
// KiB of spaces inside one element took minutes. Enough XML for Maven's own files: elements
// without attributes, text without CDATA.

/** The content of each `<name>…</name>` in order (a block without its end tag ends the scan). */
export function* xmlBlocks(xml: string, name: string): Generator<string> {
  const open = `<${name}>`;
  const close = `</${name}>`;
  for (let at = 0; ;) {
    const start = xml.indexOf(open, at);
    if (start === -1) return;
    const end = xml.indexOf(close, start + open.length);
    if (end === -1) return;
    yield xml.slice(start + open.length, end);
    at = end + close.length;
  }
}

/** The trimmed text of each `<name>text</name>` whose text holds no markup, in order. */
export function* xmlTexts(xml: string, name: string): Generator<string> {
  const open = `<${name}>`;
  const close = `</${name}>`;
  for (let at = 0; ;) {
    const start = xml.indexOf(open, at);
    if (start === -1) return;
    const from = start + open.length;
    const markup = xml.indexOf('<', from);
    if (markup === -1) return;
    if (xml.startsWith(close, markup)) {
      yield xml.slice(from, markup).trim();
      at = markup + close.length;
    } else at = markup;
  }
}

/** The first of `generator`, if any. */
export function first<T>(generator: Generator<T>): T | undefined {
  const next = generator.next();
  return next.done ? undefined : next.value;
}
