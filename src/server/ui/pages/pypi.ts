// PyPI: a project's releases, and one release's files with hashes, Requires-Python and yanked
// state, and the pip command against this server's simple index.
import type { Services } from '../../../lib/services.js';
import { bytes, text, time } from '../format-values.js';
import { html, type Html } from '../html.js';
import { snippet } from '../layout.js';
import { nameUrl } from '../links.js';
import type { Viewer } from '../viewer.js';
import { versionsTable } from './versions-table.js';

const pip = (viewer: Viewer, name: string, version?: string) => snippet(`pip install --index-url ${viewer.baseUrl}/simple/ ${name}${version ? `==${version}` : ''}`);

export async function pypiProjectPage(services: Services, viewer: Viewer, name: string, pageParam: string | undefined): Promise<Html | undefined> {
  const releases = await services.formats.pypi.listVersions(name);
  if (!releases.length) return undefined;
  return html`<h1>${name}</h1>${pip(viewer, name)}
<h2>Releases</h2>${versionsTable('pypi', name, [...releases].reverse(), pageParam)}`;
}

interface FileEntry { filename?: unknown; sha256?: unknown; size?: unknown; uploadTime?: unknown; requiresPython?: unknown; yanked?: unknown; kind?: unknown }

export async function pypiReleasePage(services: Services, viewer: Viewer, name: string, version: string): Promise<Html | undefined> {
  const detail = await services.formats.pypi.read(name, version);
  if (!detail) return undefined;
  const files = Array.isArray(detail.metadata.files) ? (detail.metadata.files as FileEntry[]) : [];
  const requires = [...new Set(files.map((f) => (typeof f.requiresPython === 'string' ? f.requiresPython : '')).filter(Boolean))];
  return html`<h1><a href="${nameUrl('pypi', detail.name)}">${detail.name}</a> ${detail.version}</h1>
${detail.yanked ? html`<p class="notice warn">This release is yanked.</p>` : ''}
${pip(viewer, detail.name, detail.version)}
<dl><dt>Requires-Python</dt><dd>${requires.join(', ') || '—'}</dd><dt>Uploaded</dt><dd>${time(detail.pushed)}</dd></dl>
<h2>Files</h2><div class="scroll"><table><tr><th>File</th><th>sha256</th><th>Requires-Python</th><th class="n">Size</th><th class="n">Uploaded</th></tr>
${files.map((f) => html`<tr><td>${text(f.filename)}${typeof f.yanked === 'string' ? html` <span class="tag warn">yanked${f.yanked ? `: ${f.yanked}` : ''}</span>` : ''}</td><td><code>${text(f.sha256)}</code></td><td>${typeof f.requiresPython === 'string' ? f.requiresPython : ''}</td><td class="n">${bytes(typeof f.size === 'number' ? f.size : 0)}</td><td class="n">${time(typeof f.uploadTime === 'string' ? f.uploadTime : undefined)}</td></tr>`)}</table></div>`;
}
