// The simple API's two spellings: PEP 503 HTML (with PEP 592 data-yanked, PEP 658/714
// data-core-metadata and PEP 629 repository version) and PEP 691 JSON (with PEP 700 versions,
// size and upload-time). Every value written into HTML is escaped.
// https://peps.python.org/pep-0503/ https://peps.python.org/pep-0691/ https://peps.python.org/pep-0700/
import { normalizeName } from './names.js';
import { API_VERSION, type IndexFile, type ProjectPage } from './simple-page.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function page(title: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    `    <meta name="pypi:repository-version" content="${API_VERSION}">`,
    `    <title>${escapeHtml(title)}</title>`,
    '  </head>',
    '  <body>',
    ...body.map((line) => `    ${line}`),
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}

/** PEP 503 project list; `projects` are normalized names. */
export function projectListHtml(projects: string[]): string {
  return page('Simple index', projects.map((name) => `<a href="${escapeHtml(name)}/">${escapeHtml(name)}</a><br />`));
}

export function projectListJson(projects: string[]): string {
  return JSON.stringify({ meta: { 'api-version': API_VERSION }, projects: projects.map((name) => ({ name })) });
}

function anchor(file: IndexFile): string {
  let attributes = `href="${escapeHtml(`${file.url}#sha256=${file.sha256}`)}"`;
  if (file.requiresPython) attributes += ` data-requires-python="${escapeHtml(file.requiresPython)}"`;
  if (file.coreMetadataSha256) {
    const value = escapeHtml(`sha256=${file.coreMetadataSha256}`);
    attributes += ` data-core-metadata="${value}" data-dist-info-metadata="${value}"`;
  }
  if (file.yanked !== undefined) attributes += ` data-yanked="${escapeHtml(file.yanked)}"`;
  return `<a ${attributes}>${escapeHtml(file.filename)}</a><br />`;
}

/** PEP 503 project page. */
export function projectPageHtml(page_: ProjectPage): string {
  return page(`Links for ${page_.name}`, [`<h1>Links for ${escapeHtml(page_.name)}</h1>`, ...page_.files.map(anchor)]);
}

/** PEP 691 project page, API version 1.1 (`name` is the normalized name, as PEP 691 says). */
export function projectPageJson(page_: ProjectPage): string {
  return JSON.stringify({
    meta: { 'api-version': API_VERSION },
    name: normalizeName(page_.name),
    versions: page_.versions,
    files: page_.files.map((file) => {
      const metadata = file.coreMetadataSha256 ? { sha256: file.coreMetadataSha256 } : false;
      return {
        filename: file.filename,
        url: file.url,
        hashes: { sha256: file.sha256 },
        ...(file.requiresPython ? { 'requires-python': file.requiresPython } : {}),
        'core-metadata': metadata,
        'dist-info-metadata': metadata,
        yanked: file.yanked === undefined ? false : file.yanked === '' ? true : file.yanked,
        ...(file.size !== undefined ? { size: file.size } : {}),
        ...(file.uploadTime ? { 'upload-time': file.uploadTime } : {}),
      };
    }),
  });
}
