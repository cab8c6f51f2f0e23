// The n/last pagination of tag lists and the catalog: entries sorted, strictly after `last`, at
// most `n`; `next` is the `last` of the following page when more remain.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
export interface Page {
  items: string[];
  /** Present when more entries follow: the value of `last` for the next request. */
  next?: string;
}

export function paginateNames(names: string[], n?: number, last?: string): Page {
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const after = last === undefined ? sorted : sorted.filter((x) => x > last);
  if (n === undefined || after.length <= n) return { items: after };
  const items = after.slice(0, n);
  return items.length > 0 ? { items, next: items[items.length - 1]! } : { items };
}
