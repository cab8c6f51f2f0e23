// Turns an upstream project page, PEP 691 JSON or PEP 503 HTML, into the files NORA can offer:
// absolute upstream URLs, the sha256 every cached file is verified against (files without one
// are left out: NORA never caches bytes it cannot verify), and the PEP 592/658/700 fields.
import { isSafeFilename, parseDistFilename } from './filenames.js';
import { parseAnchors } from './html-anchors.js';
import { versionsOf, type IndexFile } from './simple-page.js';

/** A file listed by an upstream index; `url` is absolute on the upstream, not on NORA. */
export type UpstreamFile = IndexFile;

export interface UpstreamPage {
  name: string;
  files: UpstreamFile[];
  versions: string[];
}

const SHA256 = /^[0-9a-f]{64}$/;

function metadataHash(value: unknown): string | undefined {
  if (typeof value === 'string') return /^sha256=([0-9a-f]{64})$/i.exec(value)?.[1]?.toLowerCase();
  if (value && typeof value === 'object') {
    const hash = (value as Record<string, unknown>).sha256;
    return typeof hash === 'string' && SHA256.test(hash.toLowerCase()) ? hash.toLowerCase() : undefined;
  }
  return undefined;
}

function yankedValue(value: unknown): string | undefined {
  if (value === true) return '';
  return typeof value === 'string' ? value : undefined;
}

function finish(name: string, candidates: Array<UpstreamFile | undefined>, versions?: unknown): UpstreamPage {
  const seen = new Set<string>();
  const files = candidates.filter((file): file is UpstreamFile => {
    if (!file || seen.has(file.filename)) return false;
    seen.add(file.filename);
    return true;
  });
  const listed = Array.isArray(versions) ? versions.filter((v): v is string => typeof v === 'string') : undefined;
  return { name, files, versions: listed ?? versionsOf(files) };
}

function baseFile(filename: unknown, href: string, pageUrl: string, sha256: unknown, project: string): UpstreamFile | undefined {
  if (typeof filename !== 'string' || !isSafeFilename(filename)) return undefined;
  const hash = typeof sha256 === 'string' ? sha256.toLowerCase() : '';
  if (!SHA256.test(hash)) return undefined;
  let url: URL;
  try { url = new URL(href, pageUrl); } catch { return undefined; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  const version = parseDistFilename(filename, project)?.version;
  return { filename, url: url.href, sha256: hash, ...(version ? { version } : {}) };
}

/** A PEP 691 JSON project page. */
export function parseJsonPage(body: string, pageUrl: string, project: string): UpstreamPage {
  const doc = JSON.parse(body) as { name?: unknown; files?: unknown; versions?: unknown };
  const files = Array.isArray(doc.files) ? doc.files as Array<Record<string, unknown>> : [];
  return finish(typeof doc.name === 'string' ? doc.name : project, files.map((f) => {
    const file = baseFile(f.filename, typeof f.url === 'string' ? f.url : '', pageUrl, (f.hashes as Record<string, unknown> | undefined)?.sha256, project);
    if (!file) return undefined;
    const metadata = metadataHash(f['core-metadata'] ?? f['dist-info-metadata'] ?? f['data-dist-info-metadata']);
    const yanked = yankedValue(f.yanked);
    return {
      ...file,
      ...(typeof f['requires-python'] === 'string' && f['requires-python'] ? { requiresPython: f['requires-python'] } : {}),
      ...(yanked !== undefined ? { yanked } : {}),
      ...(metadata ? { coreMetadataSha256: metadata } : {}),
      ...(typeof f.size === 'number' && Number.isSafeInteger(f.size) ? { size: f.size } : {}),
      ...(typeof f['upload-time'] === 'string' ? { uploadTime: f['upload-time'] } : {}),
    };
  }), doc.versions);
}

/** A PEP 503 HTML project page. */
export function parseHtmlPage(body: string, pageUrl: string, project: string): UpstreamPage {
  return finish(project, parseAnchors(body).map(({ attributes, text }) => {
    const href = attributes.get('href') ?? '';
    const sha256 = /#(?:.*&)?sha256=([0-9a-fA-F]{64})/.exec(href)?.[1];
    const file = baseFile(text || decodeURIComponent(href.split('#')[0]!.split('/').pop() ?? ''), href, pageUrl, sha256, project);
    if (!file) return undefined;
    const metadata = metadataHash(attributes.get('data-core-metadata') ?? attributes.get('data-dist-info-metadata'));
    const yanked = attributes.get('data-yanked');
    const requiresPython = attributes.get('data-requires-python');
    return {
      ...file,
      ...(requiresPython ? { requiresPython } : {}),
      ...(yanked !== undefined ? { yanked } : {}),
      ...(metadata ? { coreMetadataSha256: metadata } : {}),
    };
  }));
}
