// Cursor pagination and '/'-delimiter grouping over a sorted list of objects, for adapters whose
// backend has no native listing (memory, fs). Results match S3's ListObjectsV2 semantics.
import type { ListOptions, ListPage, ObjectInfo } from './object-store.js';

export const MAX_PAGE = 1000;

export function paginate(sorted: ObjectInfo[], prefix: string, options: ListOptions): ListPage {
  const limit = Math.min(Math.max(options.limit ?? MAX_PAGE, 1), MAX_PAGE);
  const items: ObjectInfo[] = [];
  const prefixes: string[] = [];
  let last: string | undefined;
  for (const info of sorted) {
    if (options.cursor !== undefined && info.key <= options.cursor) continue;
    let entry: ObjectInfo | string = info;
    if (options.delimiter) {
      const slash = info.key.indexOf('/', prefix.length);
      if (slash >= 0) {
        const group = info.key.slice(0, slash + 1);
        if (group === prefixes[prefixes.length - 1]) continue;
        entry = group;
      }
    }
    if (items.length + prefixes.length === limit) return { items, prefixes, cursor: last! };
    if (typeof entry === 'string') {
      prefixes.push(entry);
      // Skip the rest of the group: the cursor sorts after every key inside it.
      last = entry + '\uffff';
    } else {
      items.push(entry);
      last = entry.key;
    }
  }
  return { items, prefixes };
}
