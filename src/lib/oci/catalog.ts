// The list of repositories: a marker per repository, written when its first manifest is pushed,
// and a stamp rewritten after every new marker. Listing the markers touches every one of them
// (10,000 at 10,000 repositories), so the sorted names are kept in memory and re-listed only when
// the stamp's etag changed: a page of the catalog or the UI costs one stat. A server that adds a
// repository rewrites the stamp after the marker, so any server that sees the new stamp lists the
// new marker too.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-repositories
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { isStorageError } from '../storage/errors.js';
import { layout } from './layout.js';

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class Catalog {
  private readonly known = new Set<string>();
  private listed: { stamp: string; names: string[] } | undefined;

  constructor(private readonly store: ObjectStore) {}

  /** Records that `name` exists; cheap after the first call in this process. */
  async add(name: string): Promise<void> {
    if (this.known.has(name)) return;
    if (!(await this.store.stat(layout.catalogEntry(name)))) {
      await this.store.put(layout.catalogEntry(name), Buffer.from(JSON.stringify({ name, created: new Date().toISOString() })));
      await this.restamp();
    }
    this.known.add(name);
  }

  async has(name: string): Promise<boolean> {
    return this.known.has(name) || (await this.store.stat(layout.catalogEntry(name))) !== undefined;
  }

  /** Every repository name, sorted (by UTF-16 code units, as Array.prototype.sort does). */
  async names(): Promise<string[]> {
    const stamp = await this.stamp();
    if (this.listed?.stamp === stamp) return [...this.listed.names];
    const names: string[] = [];
    for await (const info of listAll(this.store, layout.catalog)) names.push(layout.catalogName(info.key));
    names.sort(byCodeUnits);
    this.listed = { stamp, names };
    return [...names];
  }

  /** The stamp's etag, read before the markers are listed (a store from before stamps gets one). */
  private async stamp(): Promise<string> {
    const found = await this.store.stat(layout.catalogStamp);
    if (found) return found.etag;
    try {
      return (await this.store.put(layout.catalogStamp, Buffer.from('{}'), { ifNoneMatch: '*' })).etag;
    } catch (error) {
      if (!isStorageError(error, 'PRECONDITION_FAILED')) throw error;
      return (await this.store.stat(layout.catalogStamp))?.etag ?? '';
    }
  }

  private async restamp(): Promise<void> {
    await this.store.put(layout.catalogStamp, Buffer.from(JSON.stringify({ changed: new Date().toISOString() })));
  }
}
