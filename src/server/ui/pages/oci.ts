// Images: a repository's tags, and one tag or digest: platforms of an index, layers with sizes,
// the config's created time, labels and entrypoint, referrers (signatures, SBOMs) and the pull
// command with this server's public host. Labels and annotations are network strings: escaped.
import type { ArtifactDetail } from '../../../lib/formats/format-service.js';
import type { Services } from '../../../lib/services.js';
import { bytes, shortDigest, time } from '../format-values.js';
import { html, type Html } from '../html.js';
import { snippet } from '../layout.js';
import { nameUrl, versionUrl } from '../links.js';
import type { Viewer } from '../viewer.js';
import { versionsTable } from './versions-table.js';

const pullRef = (viewer: Viewer, name: string, reference: string) => `${viewer.host}/${name}${reference.includes(':') ? '@' : ':'}${reference}`;

export async function ociRepositoryPage(services: Services, viewer: Viewer, name: string, pageParam: string | undefined): Promise<Html> {
  const tags = (await services.formats.oci.listVersions(name)).sort((a, b) => (a.pushed < b.pushed ? 1 : a.pushed > b.pushed ? -1 : 0));
  const latest = tags[0];
  return html`<h1>${name}</h1>
${latest ? snippet(`docker pull ${pullRef(viewer, name, latest.version)}`) : ''}
<h2>Tags</h2>${versionsTable('oci', name, tags, pageParam, { title: 'Digest', cell: (v) => html`<code>${shortDigest(v.digest)}</code>${v.platforms ? html` <span class="muted">${v.platforms.length} platforms</span>` : ''}` })}`;
}

interface Manifest { mediaType?: string; config?: { digest?: string; size?: number }; layers?: { digest?: string; size?: number; mediaType?: string }[]; annotations?: Record<string, unknown> }

const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));

function labelsTable(labels: unknown): Html {
  if (typeof labels !== 'object' || labels === null) return html`<p class="muted">None.</p>`;
  const rows = Object.entries(labels as Record<string, unknown>).map(([k, v]) => html`<tr><td><code>${k}</code></td><td>${str(v)}</td></tr>`);
  return rows.length ? html`<div class="scroll"><table>${rows}</table></div>` : html`<p class="muted">None.</p>`;
}

async function imageParts(services: Services, name: string, manifest: Manifest): Promise<Html> {
  const layers = Array.isArray(manifest.layers) ? manifest.layers : [];
  const configDigest = typeof manifest.config?.digest === 'string' ? manifest.config.digest : undefined;
  const config = configDigest ? await services.formats.oci.imageConfig(name, configDigest) : undefined;
  const inner = (config?.config ?? {}) as Record<string, unknown>;
  return html`<h2>Config</h2>${config ? html`<dl><dt>Created</dt><dd>${time(str(config.created), 'unknown')}</dd>
<dt>Platform</dt><dd>${str(config.os)}/${str(config.architecture)}</dd>
<dt>Entrypoint</dt><dd><code>${str(inner.Entrypoint) || '—'}</code></dd><dt>Cmd</dt><dd><code>${str(inner.Cmd) || '—'}</code></dd></dl><h3>Labels</h3>${labelsTable(inner.Labels)}` : html`<p class="muted">No image config (an artifact, or a config this page does not read).</p>`}
<h2>Layers</h2><div class="scroll"><table><tr><th>#</th><th>Digest</th><th>Media type</th><th class="n">Size</th></tr>
${layers.map((layer, i) => html`<tr><td>${i + 1}</td><td><code>${shortDigest(str(layer.digest))}</code></td><td class="muted">${str(layer.mediaType)}</td><td class="n">${bytes(typeof layer.size === 'number' ? layer.size : 0)}</td></tr>`)}</table></div>`;
}

function platforms(name: string, detail: ArtifactDetail): Html {
  return html`<h2>Platforms</h2><div class="scroll"><table><tr><th>Platform</th><th>Digest</th><th class="n">Size</th></tr>
${(detail.platforms ?? []).map((p) => html`<tr><td>${p.platform}</td><td><a href="${versionUrl('oci', name, p.digest)}"><code>${shortDigest(p.digest)}</code></a></td><td class="n">${bytes(p.size)}</td></tr>`)}</table></div>`;
}

export async function ociImagePage(services: Services, viewer: Viewer, name: string, reference: string): Promise<Html | undefined> {
  const detail = await services.formats.oci.read(name, reference);
  if (!detail) return undefined;
  const manifest = detail.metadata as Manifest;
  const referrers = await services.formats.oci.referrers(name, detail.digest);
  const isIndex = detail.platforms !== undefined;
  return html`<h1><a href="${nameUrl('oci', name)}">${name}</a>${reference.includes(':') ? '@' : ':'}${reference}</h1>
${snippet(`docker pull ${pullRef(viewer, name, reference)}`)}
<dl><dt>Digest</dt><dd><code>${detail.digest}</code></dd><dt>Media type</dt><dd>${str(manifest.mediaType)}</dd><dt>Size</dt><dd>${bytes(detail.size)}</dd>
<dt>Pushed</dt><dd>${time(detail.pushed)}</dd><dt>Last pull</dt><dd>${time(detail.lastPulled, 'never')}</dd></dl>
${isIndex ? platforms(name, detail) : await imageParts(services, name, manifest)}
${manifest.annotations ? html`<h2>Annotations</h2>${labelsTable(manifest.annotations)}` : ''}
<h2>Referrers</h2>${referrers.length ? html`<div class="scroll"><table><tr><th>Artifact type</th><th>Digest</th><th class="n">Size</th></tr>
${referrers.map((r) => html`<tr><td>${r.artifactType ?? r.mediaType}</td><td><a href="${versionUrl('oci', name, r.digest)}"><code>${shortDigest(r.digest)}</code></a></td><td class="n">${bytes(r.size)}</td></tr>`)}</table></div>` : html`<p class="muted">No signatures, SBOMs or other referrers.</p>`}`;
}
