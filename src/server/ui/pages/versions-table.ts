// The versions (or tags) table every package page shows, paged: version, size, push and pull times.
import type { FormatName, VersionInfo } from '../../../lib/formats/format-service.js';
import { bytes, count, time } from '../format-values.js';
import { html, type Html, type HtmlValue } from '../html.js';
import { numberPager, pageOf } from '../layout.js';
import { nameUrl, versionUrl } from '../links.js';

export function versionsTable(format: FormatName, name: string, versions: VersionInfo[], pageParam: string | undefined, extra?: { title: string; cell: (v: VersionInfo) => HtmlValue }): Html {
  if (!versions.length) return html`<p class="muted">Nothing here.</p>`;
  const { items, page, pages } = pageOf(versions, pageParam);
  const rows = items.map((v) => html`<tr><td><a href="${versionUrl(format, name, v.version)}">${v.version}</a>${(v.tags ?? []).map((t) => html` <span class="tag">${t}</span>`)}${v.yanked ? html` <span class="tag warn">yanked</span>` : ''}</td>
${extra ? html`<td>${extra.cell(v)}</td>` : ''}<td class="n">${bytes(v.size)}</td><td class="n">${time(v.pushed)}</td><td class="n">${time(v.lastPulled, 'never')}</td><td class="n">${count(v.pulls)}</td></tr>`);
  const base = nameUrl(format, name);
  const [path, query] = base.split('?') as [string, string];
  return html`<div class="scroll"><table><tr><th>${format === 'oci' ? 'Tag' : 'Version'}</th>${extra ? html`<th>${extra.title}</th>` : ''}<th class="n">Size</th><th class="n">Pushed</th><th class="n">Last pull</th><th class="n">Pulls</th></tr>${rows}</table></div>
${numberPager(path, Object.fromEntries(new URLSearchParams(query)), page, pages)}`;
}
