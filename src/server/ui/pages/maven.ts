// Maven: groups, a group's artifacts (the format list page), an artifact's versions, and one
// version's files with their checksums and a dependency snippet.
import type { Services } from '../../../lib/services.js';
import { bytes, time } from '../format-values.js';
import { html, type Html } from '../html.js';
import { snippet } from '../layout.js';
import { nameUrl } from '../links.js';
import type { Viewer } from '../viewer.js';
import { versionsTable } from './versions-table.js';

const coordinates = (name: string): [string, string] => {
  const colon = name.indexOf(':');
  return [name.slice(0, colon), name.slice(colon + 1)];
};

export async function mavenArtifactPage(services: Services, viewer: Viewer, name: string, pageParam: string | undefined): Promise<Html | undefined> {
  const versions = await services.formats.maven.listVersions(name);
  if (!versions.length) return undefined;
  const [group, artifact] = coordinates(name);
  return html`<h1><a href="/ui/maven?group=${encodeURIComponent(group)}">${group}</a>:${artifact}</h1>
${snippet(`<repository>\n  <id>nora</id>\n  <url>${viewer.baseUrl}/maven2/</url>\n</repository>`)}
<h2>Versions</h2>${versionsTable('maven', name, [...versions].reverse(), pageParam)}`;
}

const fileUrl = (group: string, artifact: string, version: string, file: string) => `/maven2/${[...group.split('.'), artifact, version, file].map(encodeURIComponent).join('/')}`;

interface FileEntry { digest?: string; size?: number; sha1?: string; modified?: string }

export async function mavenVersionPage(services: Services, viewer: Viewer, name: string, version: string): Promise<Html | undefined> {
  const detail = await services.formats.maven.read(name, version);
  if (!detail) return undefined;
  const [group, artifact] = coordinates(name);
  const files = Object.entries((detail.metadata.files ?? {}) as Record<string, FileEntry>).sort(([a], [b]) => (a < b ? -1 : 1));
  return html`<h1><a href="${nameUrl('maven', name)}">${name}</a>:${version}</h1>
${snippet(`<dependency>\n  <groupId>${group}</groupId>\n  <artifactId>${artifact}</artifactId>\n  <version>${version}</version>\n</dependency>`)}
${snippet(`implementation("${group}:${artifact}:${version}")`)}
<p class="muted">Repository URL: <code>${viewer.baseUrl}/maven2/</code></p>
<h2>Files</h2><div class="scroll"><table><tr><th>File</th><th>Checksums</th><th class="n">Size</th><th class="n">Deployed</th></tr>
${files.map(([file, f]) => html`<tr><td><a href="${fileUrl(group, artifact, version, file)}">${file}</a></td><td><code>sha256:${(f.digest ?? '').replace(/^sha256:/, '')}</code>${f.sha1 ? html`<br><code>sha1:${f.sha1}</code>` : ''}</td><td class="n">${bytes(f.size ?? 0)}</td><td class="n">${time(f.modified)}</td></tr>`)}</table></div>`;
}
