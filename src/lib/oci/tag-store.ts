// Tags of one repository: each tag is its own small document naming a manifest digest, replaced
// by one atomic put, so concurrent pushes of a tag leave it naming one of the pushed manifests.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
import type { ObjectStore } from '../storage/object-store.js';
import { listAll, type ObjectInfo } from '../storage/object-store.js';
import { readDocument, writeDocument } from '../storage/documents.js';
import { layout } from './layout.js';
import type { RepoSummaries } from './repo-summary.js';

interface TagRecord {
  digest: string;
  /** ISO time the tag was last pointed (kept inside the document, so backups carry it). */
  pushed?: string;
}

export class TagStore {
  constructor(private readonly store: ObjectStore, private readonly summaries: RepoSummaries) {}

  /** The digest a tag names, or undefined. */
  async resolve(name: string, tag: string): Promise<string | undefined> {
    return (await readDocument<TagRecord>(this.store, layout.tag(name, tag)))?.value.digest;
  }

  /**
   * Points `tag` at `digest` (the manifest record must already exist). `createdRecord`: the
   * record was just written, and the summary takes it together with the tag.
   */
  async set(name: string, tag: string, digest: string, createdRecord = false): Promise<void> {
    await writeDocument<TagRecord>(this.store, layout.tag(name, tag), { digest, pushed: new Date().toISOString() });
    await this.summaries.changed(name, { tag, ...(createdRecord ? { manifest: digest } : {}) });
  }

  /** False when the tag did not exist. */
  async delete(name: string, tag: string): Promise<boolean> {
    const deleted = await this.store.delete(layout.tag(name, tag));
    await this.summaries.tagChanged(name, tag);
    return deleted;
  }

  /** Every tag of the repository, in the store's (ascending) key order. */
  async list(name: string): Promise<string[]> {
    const prefix = layout.tags(name);
    const tags: string[] = [];
    for await (const info of listAll(this.store, prefix)) tags.push(info.key.slice(prefix.length));
    return tags;
  }

  /** Every tag with its digest and push time (the document's time when it has none). */
  async entries(name: string): Promise<{ tag: string; digest: string; pushed: string }[]> {
    const prefix = layout.tags(name);
    const infos: ObjectInfo[] = [];
    for await (const info of listAll(this.store, prefix)) infos.push(info);
    const out: { tag: string; digest: string; pushed: string }[] = [];
    // A few reads at a time, in key order.
    for (let i = 0; i < infos.length; i += 16) {
      const batch = infos.slice(i, i + 16);
      const records = await Promise.all(batch.map(async (info) => (await readDocument<TagRecord>(this.store, info.key))?.value));
      records.forEach((record, j) => {
        if (record) out.push({ tag: batch[j]!.key.slice(prefix.length), digest: record.digest, pushed: record.pushed ?? batch[j]!.modified.toISOString() });
      });
    }
    return out;
  }

  /** Tags currently naming `digest`. */
  async pointingAt(name: string, digest: string): Promise<string[]> {
    const tags = await this.list(name);
    const targets = await Promise.all(tags.map((tag) => this.resolve(name, tag)));
    return tags.filter((_tag, i) => targets[i] === digest);
  }
}
