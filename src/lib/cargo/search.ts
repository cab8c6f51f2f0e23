// `cargo search`: crates whose name or latest description contains the query, exact name
// first, then by name (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#search).
// Reads every crate document: fine for a team registry, a derived index when that stops being so.
import type { ObjectStore } from '../storage/object-store.js';
import { allCrates, type CrateDocument } from './crate-document.js';
import { normalizeName } from './names.js';
import { compareVersions, parseVersion, type SemVer } from './semver.js';

export interface SearchHit {
  name: string;
  max_version: string;
  description: string | null;
}

export interface SearchResult {
  crates: SearchHit[];
  meta: { total: number };
}

/** The highest version, preferring unyanked stable ones, then unyanked, then any. */
export function maxVersion(doc: CrateDocument): string {
  const parsed = doc.versions.map((v) => ({ v, s: parseVersion(v.vers) })).filter((x): x is { v: typeof x.v; s: SemVer } => x.s !== undefined);
  const pools = [parsed.filter((x) => !x.v.yanked && x.s.pre.length === 0), parsed.filter((x) => !x.v.yanked), parsed];
  const pool = pools.find((p) => p.length > 0) ?? [];
  return pool.reduce<(typeof pool)[number] | undefined>((best, x) => (!best || compareVersions(x.s, best.s) > 0 ? x : best), undefined)?.v.vers ?? '';
}

/** `visible` hides crates the caller may not pull (access control). */
export async function searchCrates(store: ObjectStore, query: string, perPage: number, visible: (name: string) => Promise<boolean> = async () => true): Promise<SearchResult> {
  const q = query.trim().toLowerCase();
  const hits: Array<{ hit: SearchHit; exact: boolean }> = [];
  for await (const doc of allCrates(store)) {
    if (!(await visible(doc.name))) continue;
    const latest = doc.versions.at(-1);
    const description = latest?.description ?? null;
    const text = [doc.name, description ?? ''].join(' ').toLowerCase();
    if (q && !text.includes(q) && !normalizeName(doc.name).includes(normalizeName(q))) continue;
    hits.push({ hit: { name: doc.name, max_version: maxVersion(doc), description }, exact: normalizeName(doc.name) === normalizeName(q) });
  }
  hits.sort((a, b) => Number(b.exact) - Number(a.exact) || a.hit.name.localeCompare(b.hit.name));
  return { crates: hits.slice(0, perPage).map((h) => h.hit), meta: { total: hits.length } };
}
