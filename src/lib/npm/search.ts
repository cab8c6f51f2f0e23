// /-/v1/search over local packages, followed by the upstream's results when one is configured
// (names published here are dropped from the upstream's answer: local wins). Every word of `text`
// must occur in a package's name, description or keywords; exact and prefix name matches rank
// first. `from`/`size` page over the concatenation; an upstream failure yields local results only.
import type { LocalPackages } from './local-packages.js';
import type { Packument } from './packument.js';

/** Asks the upstream's own search (GET /-/v1/search?<params>). */
export type UpstreamSearch = (params: URLSearchParams) => Promise<{ status: number; body: Buffer }>;

export interface SearchQuery {
  text: string;
  size: number;
  from: number;
}

export interface SearchObject {
  package: Record<string, unknown> & { name: string };
  score: { final: number; detail: { quality: number; popularity: number; maintenance: number } };
  searchScore: number;
}

export interface SearchResult {
  objects: SearchObject[];
  total: number;
  time: string;
}

function summarize(packument: Packument, rank: number): SearchObject {
  const latest = packument['dist-tags'].latest;
  const manifest = (latest && packument.versions[latest]) || {};
  const name = packument.name;
  return {
    package: {
      name,
      ...(name.startsWith('@') ? { scope: name.slice(1, name.indexOf('/')) } : { scope: 'unscoped' }),
      version: latest,
      description: (manifest as Record<string, unknown>).description ?? packument.description ?? '',
      keywords: (manifest as Record<string, unknown>).keywords ?? [],
      date: packument.time[latest ?? ''] ?? packument.time.modified,
      links: {},
      maintainers: (manifest as Record<string, unknown>).maintainers ?? [],
    },
    score: { final: rank, detail: { quality: rank, popularity: rank, maintenance: rank } },
    searchScore: rank,
  };
}

/** 0 when `packument` does not match every word, else a rank in (0, 1]. */
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

export function matchRank(packument: Packument, words: string[]): number {
  const name = packument.name.toLowerCase();
  const latest = packument.versions[packument['dist-tags'].latest ?? ''] as Record<string, unknown> | undefined;
  const keywords = Array.isArray(latest?.keywords) ? (latest.keywords as unknown[]).join(' ') : '';
  const haystack = `${name} ${textOf(latest?.description ?? packument.description)} ${keywords}`.toLowerCase();
  if (!words.every((w) => haystack.includes(w))) return 0;
  const phrase = words.join(' ');
  if (name === phrase) return 1;
  if (name.startsWith(phrase) || name.includes(`/${phrase}`)) return 0.8;
  return words.some((w) => name.includes(w)) ? 0.6 : 0.4;
}

/** `visible` hides packages the caller may not pull (access control), local and upstream alike. */
export async function search(local: LocalPackages, upstream: UpstreamSearch | undefined, query: SearchQuery, visible: (name: string) => Promise<boolean> = async () => true): Promise<SearchResult> {
  const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
  const localNames = new Set<string>();
  const matches: SearchObject[] = [];
  for await (const name of local.names()) {
    localNames.add(name.full);
    if (!(await visible(name.full))) continue;
    const doc = await local.read(name);
    if (!doc) continue;
    const rank = matchRank(doc.packument, words);
    if (rank > 0) matches.push(summarize(doc.packument, rank));
  }
  matches.sort((a, b) => b.searchScore - a.searchScore || a.package.name.localeCompare(b.package.name));
  const objects = matches.slice(query.from, query.from + query.size);
  let total = matches.length;
  if (upstream && words.length > 0) {
    const wanted = query.size - objects.length;
    const from = Math.max(0, query.from - matches.length);
    try {
      const params = new URLSearchParams({ text: query.text, size: String(Math.max(wanted, 1)), from: String(from) });
      const answer = await upstream(params);
      if (answer.status === 200) {
        const parsed = JSON.parse(answer.body.toString('utf8')) as Partial<SearchResult>;
        const named = (parsed.objects ?? []).filter((o) => o?.package?.name && !localNames.has(o.package.name));
        const shown = await Promise.all(named.map((o) => visible(o.package.name)));
        const remote = named.filter((_o, i) => shown[i]);
        if (wanted > 0) objects.push(...remote.slice(0, wanted));
        total += typeof parsed.total === 'number' ? parsed.total : remote.length;
      }
    } catch {
      // The upstream is down or answered nonsense: local results stand alone.
    }
  }
  return { objects, total, time: new Date().toUTCString() };
}
