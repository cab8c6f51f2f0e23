// The page shell every UI page shares: head with the stylesheet and script (same origin, hashed
// URLs), the navigation, the search box and who is signed in.
import { html, type Html, type HtmlValue } from './html.js';
import { SCRIPT, STYLESHEET } from './assets.js';
import type { Viewer } from './viewer.js';

export const FORMAT_TITLES = { oci: 'Images', npm: 'npm', maven: 'Maven', cargo: 'Cargo', pypi: 'PyPI' } as const;

export function page(viewer: Viewer | undefined, title: string, body: HtmlValue, query = ''): Html {
  const nav = viewer
    ? html`<nav><a href="/ui/">Overview</a>${Object.entries(FORMAT_TITLES).map(([format, label]) => html`<a href="/ui/${format}">${label}</a>`)}<a href="/ui/tokens">Tokens</a></nav>
<form action="/ui/search" method="get" role="search"><input type="search" name="q" value="${query}" placeholder="Search names" aria-label="Search names" maxlength="200"><button type="submit">Search</button></form>
<span class="who">${viewer.signedIn ? html`Signed in as <b>${viewer.name}</b>` : viewer.authEnabled ? html`<a href="/ui/sign-in">Sign in</a>` : ''}</span>`
    : '';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} \u00b7 NORA</title><link rel="stylesheet" href="/ui/assets/${STYLESHEET.path}"><script src="/ui/assets/${SCRIPT.path}" defer></script></head>
<body><header><a class="brand" href="/ui/">NORA</a>${nav}</header>
<main>${body}</main></body></html>
`;
}

/** A copyable command or config snippet. */
export const snippet = (text: string): Html => html`<pre class="copy"><code>${text}</code></pre>`;

/** Paging by cursor (`after`: the last name of this page) for name listings. */
export function cursorPager(base: string, params: Record<string, string | undefined>, next: string | undefined): Html {
  const links: Html[] = [];
  if (params.after) links.push(html`<a href="${base}${queryString({ ...params, after: undefined })}">First page</a>`);
  if (next !== undefined) links.push(html`<a href="${base}${queryString({ ...params, after: next })}" rel="next">Next page</a>`);
  return links.length ? html`<div class="pager">${links}</div>` : html``;
}

/** Paging by number for lists a page holds whole in memory (tags, versions, files). */
export function numberPager(base: string, params: Record<string, string | undefined>, page: number, pages: number): Html {
  if (pages <= 1) return html``;
  const to = (n: number) => `${base}${queryString({ ...params, page: n === 1 ? undefined : String(n) })}`;
  return html`<div class="pager">${page > 1 ? html`<a href="${to(page - 1)}" rel="prev">Previous</a>` : ''}<span class="muted">page ${page} of ${pages}</span>${page < pages ? html`<a href="${to(page + 1)}" rel="next">Next page</a>` : ''}</div>`;
}

/** The slice of `items` page `page` (1-based, clamped) shows, and the page count. */
export function pageOf<T>(items: T[], pageParam: string | undefined, size = PAGE_SIZE): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const page = Math.min(pages, Math.max(1, Number.parseInt(pageParam ?? '1', 10) || 1));
  return { items: items.slice((page - 1) * size, page * size), page, pages };
}

export const PAGE_SIZE = 50;

export function queryString(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}
