// Cargo: a crate's versions with their yanked state, and one version's features, dependencies
// and the Cargo.toml lines that use it from this registry.
import type { Services } from '../../../lib/services.js';
import { bytes, text, time } from '../format-values.js';
import { html, type Html } from '../html.js';
import { snippet } from '../layout.js';
import { nameUrl } from '../links.js';
import type { Viewer } from '../viewer.js';
import { versionsTable } from './versions-table.js';

const registrySnippet = (viewer: Viewer) => snippet(`# .cargo/config.toml\n[registries.nora]\nindex = "sparse+${viewer.baseUrl}/cargo/index/"`);

export async function cargoCratePage(services: Services, viewer: Viewer, name: string, pageParam: string | undefined): Promise<Html | undefined> {
  const versions = await services.formats.cargo.listVersions(name);
  if (!versions.length) return undefined;
  const newest = versions[versions.length - 1]!;
  return html`<h1>${name}</h1>
${snippet(`[dependencies]\n${name} = { version = "${newest.version}", registry = "nora" }`)}${registrySnippet(viewer)}
<h2>Versions</h2>${versionsTable('cargo', name, [...versions].reverse(), pageParam)}`;
}

interface Dependency { name?: unknown; req?: unknown; kind?: unknown; optional?: unknown }

export async function cargoVersionPage(services: Services, viewer: Viewer, name: string, version: string): Promise<Html | undefined> {
  const detail = await services.formats.cargo.read(name, version);
  if (!detail) return undefined;
  const meta = detail.metadata;
  const features = { ...(meta.features as Record<string, unknown> | undefined), ...(meta.features2 as Record<string, unknown> | undefined) };
  const deps = Array.isArray(meta.deps) ? (meta.deps as Dependency[]) : [];
  return html`<h1><a href="${nameUrl('cargo', detail.name)}">${detail.name}</a> ${detail.version}</h1>
${detail.yanked ? html`<p class="notice warn">This version is yanked: new lockfiles will not select it.</p>` : ''}
${typeof meta.description === 'string' && meta.description ? html`<p>${meta.description}</p>` : ''}
${snippet(`[dependencies]\n${detail.name} = { version = "${detail.version}", registry = "nora" }`)}${registrySnippet(viewer)}
<dl><dt>Published</dt><dd>${time(detail.pushed)}</dd><dt>Size</dt><dd>${bytes(detail.size)}</dd><dt>Checksum</dt><dd><code>${text(meta.cksum)}</code></dd>
${typeof meta.rust_version === 'string' ? html`<dt>Rust version</dt><dd>${meta.rust_version}</dd>` : ''}</dl>
<h2>Features</h2>${Object.keys(features).length ? html`<div class="scroll"><table>${Object.entries(features).map(([feature, enables]) => html`<tr><td><code>${feature}</code></td><td>${Array.isArray(enables) ? enables.map((e) => html`<span class="tag">${String(e)}</span>`) : ''}</td></tr>`)}</table></div>` : html`<p class="muted">None.</p>`}
<h2>Dependencies</h2>${deps.length ? html`<div class="scroll"><table>${deps.map((d) => html`<tr><td>${text(d.name)}</td><td><code>${text(d.req)}</code></td><td class="muted">${text(d.kind) || 'normal'}${d.optional === true ? ', optional' : ''}</td></tr>`)}</table></div>` : html`<p class="muted">None.</p>`}`;
}
