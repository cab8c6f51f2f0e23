// The list of repositories: a marker per repository, written when its first manifest is pushed.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-repositories
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { layout } from './layout.js';

export class Catalog {
  private readonly known = new Set<string>();

  constructor(private readonly store: ObjectStore) {}

  /** Records that `name` exists; cheap after the first call in this process. */
  async add(name: string): Promise<void> {
    if (this.known.has(name)) return;
    if (!(await this.store.stat(layout.catalogEntry(name)))) {
      await this.store.put(layout.catalogEntry(name), Buffer.from(JSON.stringify({ name, created: new Date().toISOString() })));
    }
    this.known.add(name);
  }

  async has(name: string): Promise<boolean> {
    return this.known.has(name) || (await this.store.stat(layout.catalogEntry(name))) !== undefined;
  }

  /** Every repository name, unsorted. */
  async names(): Promise<string[]> {
    const names: string[] = [];
    for await (const info of listAll(this.store, layout.catalog)) names.push(layout.catalogName(info.key));
    return names;
  }
}
