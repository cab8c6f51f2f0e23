// Operations over every format at once, through the format services only (no format's key
// layout is known here): gc marking, and the listing behind `nora images ls` and /api/artifacts.
import type { DocumentFilter } from '../blobs/digest-scan.js';
import type { EventBus } from '../events/bus.js';
import { FORMATS, type FormatName, type FormatService, type ListNamesOptions, type VersionInfo } from '../formats/format-service.js';

export { FORMATS, type FormatName };

/** The services ops needs, by format. */
export type FormatSet = Record<FormatName, FormatService>;

/** One version as listings show it: the service's VersionInfo (spread as is) with its format. */
export type Listing = VersionInfo & { type: FormatName };

/** One page of `listArtifactPage`: every version of up to `limit` names, and where the next page starts. */
export interface ListingPage { items: Listing[]; next?: string }

export interface PageOptions {
  glob?: string;
  /** Names per page. */
  limit: number;
  /** The `next` of the previous page ("<type>:<name>"; "<type>:" starts at that type's first name). */
  after?: string;
  canPull?: (type: FormatName, accessName: string) => boolean | Promise<boolean>;
}

/** Where `after` points among `types`; undefined when it names none of them. */
export function pageStart(types: readonly FormatName[], after: string): { index: number; name: string } | undefined {
  const cut = after.indexOf(':');
  const index = cut < 0 ? -1 : types.indexOf(after.slice(0, cut) as FormatName);
  return index < 0 ? undefined : { index, name: after.slice(cut + 1) };
}

/**
 * Every version of at most `limit` names, across `types` in order. A name's versions are never
 * split between pages; `next` is absent on the last page.
 */
export async function listArtifactPage(formats: FormatSet, types: readonly FormatName[], options: PageOptions): Promise<ListingPage> {
  const start = options.after === undefined ? { index: 0, name: '' } : pageStart(types, options.after);
  if (!start) return { items: [] };
  const items: Listing[] = [];
  let left = options.limit;
  for (let i = start.index; i < types.length; i++) {
    const type = types[i]!;
    const service = formats[type];
    const canPull = options.canPull;
    const page = await service.listNames({
      limit: left, ...(options.glob ? { glob: options.glob } : {}), ...(i === start.index && start.name ? { after: start.name } : {}),
      ...(canPull ? { canPull: (name: string) => canPull(type, name) } : {}),
    });
    for (const name of page.items) {
      for (const version of await service.listVersions(name)) items.push({ type, ...version });
    }
    left -= page.items.length;
    if (page.next !== undefined) return { items, next: `${type}:${page.next}` };
    if (left === 0) return types[i + 1] ? { items, next: `${types[i + 1]}:` } : { items };
  }
  return { items };
}

/** Adds every digest any format references (optionally only from recently written metadata). */
export async function markReferences(formats: FormatSet, into: Set<string>, filter: DocumentFilter = {}): Promise<void> {
  for (const format of FORMATS) for await (const digest of formats[format].referencedBlobs(filter)) into.add(digest);
}

/** Every version of the given formats (all when none are given), names filtered as `options` says. */
export async function* listArtifacts(formats: FormatSet, types: readonly FormatName[] = FORMATS, options: Omit<ListNamesOptions, 'after' | 'limit'> = {}): AsyncGenerator<Listing> {
  for (const type of types) {
    const service = formats[type];
    for (const name of (await service.listNames(options)).items) {
      for (const version of await service.listVersions(name)) yield { type, ...version };
    }
  }
}

/** True for a key some format calls in-flight state (backups leave it out). */
export const transientKeys = (formats: FormatSet) => (key: string): boolean => FORMATS.some((f) => formats[f].isTransientKey?.(key) ?? false);

/** The digest (or size) of every version now in the store, by format, name and version. */
export type VersionSnapshot = Map<string, string>;

const snapshotKey = (item: Listing): string => `${item.type}\n${item.name}\n${item.version}`;
const snapshotValue = (item: Listing): string => item.digest ?? `size:${item.size}`;

/** What `announceAll` compares against: every version the store holds now. */
export async function snapshotVersions(formats: FormatSet): Promise<VersionSnapshot> {
  const snapshot: VersionSnapshot = new Map();
  for await (const item of listArtifacts(formats)) snapshot.set(snapshotKey(item), snapshotValue(item));
  return snapshot;
}

/**
 * Publishes one ArtifactPushed per version now in the store (after restore or migrate wrote
 * metadata directly), named as the protocol's events name it (the access name); returns how
 * many. With `before`, versions already there with the same digest are left out, so a resumed
 * migration announces only what it copied.
 */
export async function announceAll(formats: FormatSet, events: EventBus, actor: string, before?: VersionSnapshot): Promise<number> {
  let count = 0;
  for await (const item of listArtifacts(formats)) {
    if (before?.get(snapshotKey(item)) === snapshotValue(item)) continue;
    events.publish({ type: 'ArtifactPushed', artifact: { format: item.type, name: formats[item.type].accessName(item.name), reference: item.version, ...(item.digest ? { digest: item.digest } : {}) }, size: item.size, actor });
    count++;
  }
  return count;
}
