// What the pull-through cache remembers beside ordinary registry content: which repositories it
// fills from an upstream (so a locally pushed repository is never mixed with upstream content)
// and when each cached tag was last revalidated. Small documents in the OCI layout.
import { readDocument, writeDocument } from '../../storage/documents.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { layout } from '../layout.js';

export interface CachedTag {
  digest: string;
  /** Epoch ms of the last time the upstream confirmed (or set) the digest. */
  checked: number;
}

export class CacheRecords {
  private readonly origins = new Set<string>();

  constructor(private readonly store: ObjectStore) {}

  /** True when `name` is filled from an upstream. */
  async isCached(name: string): Promise<boolean> {
    if (this.origins.has(name)) return true;
    const found = (await this.store.stat(layout.upstreamOrigin(name))) !== undefined;
    if (found) this.origins.add(name);
    return found;
  }

  /** Marks `name` as filled from `upstream`, before anything from it is stored. Idempotent. */
  async markCached(name: string, upstream: string): Promise<void> {
    if (await this.isCached(name)) return;
    await writeDocument(this.store, layout.upstreamOrigin(name), { upstream });
    this.origins.add(name);
  }

  async tag(name: string, tag: string): Promise<CachedTag | undefined> {
    return (await readDocument<CachedTag>(this.store, layout.upstreamTag(name, tag)))?.value;
  }

  async setTag(name: string, tag: string, value: CachedTag): Promise<void> {
    await writeDocument<CachedTag>(this.store, layout.upstreamTag(name, tag), value);
  }
}
