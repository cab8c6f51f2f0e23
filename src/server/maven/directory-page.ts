// The HTML page of one repository directory, in the plain "Index of" style Maven repositories
// have always served (browsers, and tools that scrape listings). Names are escaped.
import type { DirectoryEntry } from '../../lib/maven/listing.js';

const escape = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function directoryPage(path: string, entries: DirectoryEntry[]): string {
  const title = `Index of /maven2/${path}`;
  const rows = entries.map((e) => {
    const href = escape(e.directory ? `${e.name}/` : e.name);
    const size = e.size === undefined ? '' : String(e.size);
    return `<tr><td><a href="${href}">${href}</a></td><td>${escape(e.modified ?? '')}</td><td>${size}</td></tr>`;
  });
  const parent = path === '' ? '' : '<tr><td><a href="../">../</a></td><td></td><td></td></tr>';
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escape(title)}</title></head>\n<body><h1>${escape(title)}</h1>\n`
    + `<table><thead><tr><th>Name</th><th>Last modified</th><th>Size</th></tr></thead><tbody>\n${[parent, ...rows].filter(Boolean).join('\n')}\n</tbody></table></body></html>\n`;
}
