// npm: a package's versions with dist-tags and deprecations, its README (renderMarkdown: all
// HTML escaped) and the install command; one version's manifest facts.
import type { Services } from '../../../lib/services.js';
import { bytes, time } from '../format-values.js';
import { html, type Html } from '../html.js';
import { pageOf, snippet } from '../layout.js';
import { renderMarkdown } from '../markdown.js';
import { nameUrl } from '../links.js';
import type { Viewer } from '../viewer.js';
import { versionsTable } from './versions-table.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function install(viewer: Viewer, name: string, version?: string): Html {
  return snippet(`npm install ${name}${version ? `@${version}` : ''} --registry ${viewer.baseUrl}/npm/`);
}

function readme(manifest: Record<string, unknown>): Html {
  const source = text(manifest.readme);
  return source ? html`<h2>README</h2><div class="readme">${renderMarkdown(source)}</div>` : html``;
}

export async function npmPackagePage(services: Services, viewer: Viewer, name: string, pageParam: string | undefined): Promise<Html | undefined> {
  const versions = await services.formats.npm.listVersions(name);
  if (!versions.length) return undefined;
  const latest = await services.formats.npm.read(name, 'latest');
  const manifest = latest?.metadata ?? {};
  const listed = [...versions].reverse();
  // Deprecation texts live in each version's manifest: read for the versions this page shows.
  const shown = pageOf(listed, pageParam).items;
  const deprecated = new Map(await Promise.all(shown.map(async (v) => [v.version, text((await services.formats.npm.read(name, v.version))?.metadata.deprecated)] as const)));
  return html`<h1>${name}</h1>${text(manifest.description) ? html`<p>${text(manifest.description)}</p>` : ''}
${install(viewer, name)}
<h2>Versions</h2>${versionsTable('npm', name, listed, pageParam, [...deprecated.values()].some(Boolean) ? { title: 'Deprecated', cell: (v) => html`<span class="warn">${deprecated.get(v.version) ?? ''}</span>` } : undefined)}
${readme(manifest)}`;
}

export async function npmVersionPage(services: Services, viewer: Viewer, name: string, version: string): Promise<Html | undefined> {
  const detail = await services.formats.npm.read(name, version);
  if (!detail) return undefined;
  const manifest = detail.metadata;
  const dist = (manifest.dist ?? {}) as Record<string, unknown>;
  const deps = Object.entries((manifest.dependencies ?? {}) as Record<string, unknown>);
  return html`<h1><a href="${nameUrl('npm', name)}">${name}</a>@${detail.version}</h1>
${text(manifest.deprecated) ? html`<p class="notice warn">Deprecated: ${text(manifest.deprecated)}</p>` : ''}
${install(viewer, name, detail.version)}
<dl><dt>Dist-tags</dt><dd>${(detail.tags ?? []).join(', ') || '—'}</dd><dt>Published</dt><dd>${time(detail.pushed)}</dd><dt>Tarball</dt><dd>${bytes(detail.size)}</dd>
<dt>Integrity</dt><dd><code>${text(dist.integrity) || detail.digest}</code></dd><dt>License</dt><dd>${text(manifest.license) || '—'}</dd></dl>
<h2>Dependencies</h2>${deps.length ? html`<div class="scroll"><table>${deps.map(([dep, range]) => html`<tr><td><a href="${nameUrl('npm', dep)}">${dep}</a></td><td><code>${text(range)}</code></td></tr>`)}</table></div>` : html`<p class="muted">None.</p>`}
${readme(manifest)}`;
}
