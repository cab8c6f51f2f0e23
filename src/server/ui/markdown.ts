// A small Markdown renderer for npm READMEs: headings, paragraphs, fenced and indented code,
// lists, block quotes, rules, code spans, emphasis and links. Every character of the source is
// HTML-escaped before any markup is added, so raw HTML in a README (a <script>, an onerror
// attribute) shows as text; links keep only http(s), mailto and in-page targets. Each pattern
// uses negated classes, so rendering is linear in the input; inputs past MAX_MARKDOWN are cut.
import { escapeHtml, Html } from './html.js';

export const MAX_MARKDOWN = 256 * 1024;

const SAFE_URL = /^(https?:\/\/|mailto:|#)/i;

function inline(text: string): string {
  // Code spans first: their content is escaped and nothing else applies inside.
  const parts = text.split(/(`[^`\n]+`)/);
  return parts.map((part, i) => {
    if (i % 2 === 1) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
    // NUL is stripped from the input, so it can mark where the links go back.
    let out = escapeHtml(part.replaceAll('\0', ''));
    const links: string[] = [];
    out = out.replace(/!?\[([^\]\n]*)\]\(([^()\s]*)\)/g, (_m, label: string, url: string) => {
      // Images are shown as links: the CSP allows no remote images, and a README should not track readers.
      if (!SAFE_URL.test(url)) return label;
      links.push(`<a href="${url}" rel="nofollow noopener noreferrer">${label || url}</a>`);
      return `\0${links.length - 1}\0`;
    });
    out = out.replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>').replace(/(^|\W)__([^_\n]+)__(?!\w)/g, '$1<strong>$2</strong>');
    out = out.replace(/\*([^*\n]+)\*/g, '<em>$1</em>').replace(/(^|\W)_([^_\n]+)_(?=\W|$)/g, '$1<em>$2</em>');
    out = out.replace(/\0(\d+)\0/g, (_m, i: string) => links[Number(i)]!);
    return out;
  }).join('');
}

interface State { out: string[]; paragraph: string[]; list: { tag: 'ul' | 'ol'; items: string[] } | undefined; quote: string[] }

function flush(state: State): void {
  if (state.paragraph.length) state.out.push(`<p>${inline(state.paragraph.join(' '))}</p>`);
  state.paragraph = [];
  if (state.list) state.out.push(`<${state.list.tag}>${state.list.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${state.list.tag}>`);
  state.list = undefined;
  if (state.quote.length) state.out.push(`<blockquote><p>${inline(state.quote.join(' '))}</p></blockquote>`);
  state.quote = [];
}

export function renderMarkdown(source: string): Html {
  const lines = source.slice(0, MAX_MARKDOWN).replace(/\r\n?/g, '\n').split('\n');
  const state: State = { out: [], paragraph: [], list: undefined, quote: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush(state);
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!);
      state.out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (/^\s*>/.test(line)) {
      if (state.paragraph.length || state.list) { const quote = state.quote; state.quote = []; flush(state); state.quote = quote; }
      state.quote.push(line.replace(/^\s*> ?/, ''));
      continue;
    }
    if (state.quote.length) flush(state);
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush(state);
      const level = heading[1]!.length;
      state.out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush(state);
      state.out.push('<hr>');
      continue;
    }
    const item = /^\s*(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/.exec(line);
    if (item) {
      const tag = item[1] ? 'ul' : 'ol';
      if (state.paragraph.length || (state.list && state.list.tag !== tag)) flush(state);
      state.list ??= { tag, items: [] };
      state.list.items.push(item[3]!);
      continue;
    }
    if (/^( {4}|\t)/.test(line) && !state.paragraph.length && !state.list) {
      const code: string[] = [];
      for (; i < lines.length && (/^( {4}|\t)/.test(lines[i]!) || lines[i]!.trim() === ''); i++) code.push(lines[i]!.replace(/^( {4}|\t)/, ''));
      i--;
      flush(state);
      state.out.push(`<pre><code>${escapeHtml(code.join('\n').replace(/\n+$/, ''))}</code></pre>`);
      continue;
    }
    if (line.trim() === '') {
      flush(state);
      continue;
    }
    if (state.list && /^\s+\S/.test(line)) {
      state.list.items[state.list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (state.list) flush(state);
    state.paragraph.push(line.trim());
  }
  flush(state);
  return new Html(state.out.join('\n'));
}
