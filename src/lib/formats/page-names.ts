// listNames for every format: sort, glob, page, and drop what the caller may not pull. The
// pull filter runs last and page by page, so a caller sees at most `limit` names it may pull.
import picomatch from 'picomatch';
import type { ListNamesOptions, NamePage } from './format-service.js';

export async function pageNames(names: Iterable<string>, options: ListNamesOptions, accessName: (name: string) => string = (n) => n): Promise<NamePage> {
  const matches = options.glob ? picomatch(options.glob) : () => true;
  const sorted = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const items: string[] = [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  for (const name of sorted) {
    if (options.after !== undefined && name <= options.after) continue;
    if (!matches(name)) continue;
    if (options.canPull && !(await options.canPull(accessName(name)))) continue;
    if (items.length === limit) return { items, next: items[items.length - 1]! };
    items.push(name);
  }
  return { items };
}
