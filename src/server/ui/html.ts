// HTML built by a tagged template that escapes every interpolated value, so a name, tag, label
// or README from the network can never become markup. Only `Html` values (made here, by this
// template or by the Markdown renderer, which escapes everything itself) pass through unescaped.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** Markup this module vouches for. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<td>${name}</td>\``: every value escaped unless it is already Html; arrays are joined. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** A URL path segment sequence, each part percent-encoded (names keep their slashes as %2F never: each part is one segment). */
export function urlOf(...parts: string[]): string {
  return parts.map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');
}
