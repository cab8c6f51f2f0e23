// The versions a remote NORA lists for one format (GET /api/artifacts?type=FMT, only what our
// credentials may pull), read page by page (?limit=&after=, following `next`) so a large remote
// is never one answer; a remote that does not page answers everything at once, without `next`.
import type { RemoteNora } from './remote-nora.js';

/** One version as the remote's listing shows it. */
export interface RemoteVersion { name: string; version: string; pushed?: string; digest?: string; size?: number; yanked?: boolean }

const PAGE = 500;

/** Every listed version of `format` (of the names `glob` matches, when given), grouped by name (names in the remote's order). */
export async function remoteVersions(remote: RemoteNora, format: string, retry: <T>(what: string, step: () => Promise<T>) => Promise<T>, glob?: string): Promise<Map<string, RemoteVersion[]>> {
  const byName = new Map<string, RemoteVersion[]>();
  const seen = new Set<string>();
  for (let after: string | undefined; ;) {
    const query = new URLSearchParams({ type: format, limit: String(PAGE), ...(glob !== undefined ? { glob } : {}), ...(after !== undefined ? { after } : {}) });
    const page = await retry(`${format} names at ${remote.label}`, () => remote.json<{ items?: RemoteVersion[]; next?: string }>(`api/artifacts?${query}`));
    for (const item of page?.items ?? []) byName.set(item.name, [...(byName.get(item.name) ?? []), item]);
    // A cursor seen before would loop forever: a remote that pages wrongly ends the listing.
    if (typeof page?.next !== 'string' || seen.has(page.next)) return byName;
    seen.add(page.next);
    after = page.next;
  }
}
