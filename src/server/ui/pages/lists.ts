// A format's names (repositories, packages, crates, projects), paged by cursor and filterable by
// a substring; Maven lists groups first, then a group's artifacts. Search runs every format.
import { FORMATS, type FormatName } from '../../../lib/formats/format-service.js';
import type { Services } from '../../../lib/services.js';
import { html, type Html } from '../html.js';
import { cursorPager, FORMAT_TITLES, numberPager, pageOf, PAGE_SIZE } from '../layout.js';
import { nameUrl } from '../links.js';
import { visibleNames } from '../names.js';
import type { Viewer } from '../viewer.js';

export interface ListParams { q?: string; after?: string; group?: string; page?: string }

function filterForm(format: FormatName, params: ListParams): Html {
  return html`<form method="get" action="/ui/${format}">${params.group ? html`<input type="hidden" name="group" value="${params.group}">` : ''}<input type="search" name="q" value="${params.q ?? ''}" placeholder="Filter names" aria-label="Filter names" maxlength="200"> <button type="submit">Filter</button></form>`;
}

export async function formatListPage(services: Services, viewer: Viewer, format: FormatName, params: ListParams): Promise<Html> {
  if (format === 'maven' && !params.group && !params.q) return mavenGroupsPage(services, viewer, params.page);
  const { items, next } = await visibleNames(services, viewer, format, {
    limit: PAGE_SIZE, ...(params.q ? { q: params.q } : {}), ...(params.after ? { after: params.after } : {}), ...(params.group ? { prefix: `${params.group}:` } : {}),
  });
  const title = params.group ? params.group : FORMAT_TITLES[format];
  return html`<h1>${title}</h1>${filterForm(format, params)}
${items.length ? html`<ul>${items.map((name) => html`<li><a href="${nameUrl(format, name)}">${name}</a></li>`)}</ul>` : html`<p class="muted">Nothing here${params.q ? ' matches' : ''}.</p>`}
${cursorPager(`/ui/${format}`, { q: params.q, group: params.group, after: params.after }, next)}`;
}

/** Maven's groups: the distinct groupIds of the artifacts the viewer may pull. */
async function mavenGroupsPage(services: Services, viewer: Viewer, pageParam: string | undefined): Promise<Html> {
  const { items: names } = await services.formats.maven.listNames({ canPull: (name) => viewer.canPullAccess('maven', name) });
  const groups = [...new Set(names.map((n) => n.slice(0, n.indexOf(':'))))];
  const { items, page, pages } = pageOf(groups, pageParam);
  return html`<h1>Maven</h1>${filterForm('maven', {})}
${items.length ? html`<ul>${items.map((group) => html`<li><a href="/ui/maven?group=${encodeURIComponent(group)}">${group}</a></li>`)}</ul>` : html`<p class="muted">Nothing here.</p>`}
${numberPager('/ui/maven', {}, page, pages)}`;
}

const SEARCH_PER_FORMAT = 20;

export async function searchPage(services: Services, viewer: Viewer, q: string): Promise<Html> {
  if (!q) return html`<h1>Search</h1><p class="muted">Type part of a name in the search box.</p>`;
  const groups = await Promise.all(FORMATS.map(async (format) => ({ format, ...(await visibleNames(services, viewer, format, { q, limit: SEARCH_PER_FORMAT })) })));
  const found = groups.filter((g) => g.items.length);
  return html`<h1>Search: ${q}</h1>
${found.length ? found.map(({ format, items, next }) => html`<section data-format="${format}"><h2>${FORMAT_TITLES[format]}</h2><ul>${items.map((name) => html`<li><a href="${nameUrl(format, name)}">${name}</a></li>`)}</ul>
${next !== undefined ? html`<p><a href="/ui/${format}?q=${encodeURIComponent(q)}">All ${FORMAT_TITLES[format]} results</a></p>` : ''}</section>`) : html`<p class="muted">No names contain \u201c${q}\u201d.</p>`}`;
}
