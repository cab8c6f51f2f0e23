// listNames for every format: sort, glob, page, and drop what the caller may not pull. The
// pull filter runs last and page by page, so a caller sees at most `limit` names it may pull.
import { CommonErrors } from '../errors/catalog.js';
import { quote } from '../errors/quote.js';
import { simpleGlob, simpleGlobProblem } from '../glob/simple-glob.js';
import type { ListNamesOptions, NamePage } from './format-service.js';

/** INVALID_QUERY when `glob` is more than a simple glob (a caller's glob must match in linear time). */
export function nameMatcher(glob: string | undefined): (name: string) => boolean {
  if (!glob) return () => true;
  const problem = simpleGlobProblem(glob);
  if (problem) throw CommonErrors.INVALID_QUERY(`glob ${quote(glob)}: ${problem}`);
  return simpleGlob(glob);
}

export async function pageNames(names: Iterable<string>, options: ListNamesOptions, accessName: (name: string) => string = (n) => n): Promise<NamePage> {
  const matches = nameMatcher(options.glob);
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
