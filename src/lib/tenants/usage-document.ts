// A tenant's usage as stored: tenants/<tenant>/usage.json, one document per tenant, updated by
// compare-and-swap (storage/documents.ts) so every server on the store agrees. Pure functions
// over it: the distinct blobs of all names (a blob shared inside the tenant counts once), plus
// the holds of pushes in flight, which count until they settle or expire.
export interface NameEntry {
  versions: number;
  /** digest -> size */
  blobs: Record<string, number>;
}

export interface Hold {
  /** digest (or "pending:<id>:<n>" for bytes not yet read) -> size */
  blobs: Record<string, number>;
  /** ms since the epoch */
  expires: number;
}

export interface UsageDocument {
  /** "format:accessName" -> what that name holds. */
  names: Record<string, NameEntry>;
  holds: Record<string, Hold>;
  /** Warning thresholds (percent) announced and not yet fallen below again. */
  warned: number[];
  updated: string;
}

export const usageKey = (tenant: string): string => `tenants/${tenant}/usage.json`;

export const emptyUsage = (): UsageDocument => ({ names: {}, holds: {}, warned: [], updated: new Date(0).toISOString() });

/** Bytes of the distinct blobs the tenant's names reference. */
export function storedBytes(doc: UsageDocument): number {
  return sumDistinct(Object.values(doc.names).map((n) => n.blobs));
}

/** Bytes of stored blobs plus unexpired holds (each digest once). */
export function committedBytes(doc: UsageDocument, now: number): number {
  return sumDistinct([...Object.values(doc.names).map((n) => n.blobs), ...liveHolds(doc, now).map((h) => h.blobs)]);
}

/** What `blobs` would add on top of everything stored or held. */
export function addedBytes(doc: UsageDocument, now: number, blobs: Record<string, number>): number {
  const known = new Set<string>();
  for (const map of [...Object.values(doc.names).map((n) => n.blobs), ...liveHolds(doc, now).map((h) => h.blobs)]) for (const d of Object.keys(map)) known.add(d);
  return Object.entries(blobs).reduce((sum, [digest, size]) => (known.has(digest) ? sum : sum + size), 0);
}

export function liveHolds(doc: UsageDocument, now: number): Hold[] {
  return Object.values(doc.holds).filter((h) => h.expires > now);
}

/** The document without expired holds (a copy). */
export function withoutExpired(doc: UsageDocument, now: number): UsageDocument {
  return { ...doc, holds: Object.fromEntries(Object.entries(doc.holds).filter(([, h]) => h.expires > now)) };
}

function sumDistinct(maps: Array<Record<string, number>>): number {
  const seen = new Map<string, number>();
  for (const map of maps) for (const [digest, size] of Object.entries(map)) seen.set(digest, size);
  let total = 0;
  for (const size of seen.values()) total += size;
  return total;
}
