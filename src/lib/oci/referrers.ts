// The referrers index: for each subject digest, a descriptor per manifest whose `subject` names
// it. Each entry is its own document, so concurrent pushes never lose one.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { readDocument, writeDocument } from '../storage/documents.js';
import { layout } from './layout.js';
import type { Descriptor } from './manifest.js';
import { OCI_INDEX } from './media-types.js';

export interface ReferrersIndex {
  schemaVersion: 2;
  mediaType: typeof OCI_INDEX;
  manifests: Descriptor[];
}

export class Referrers {
  constructor(private readonly store: ObjectStore) {}

  async add(name: string, subject: string, entry: Descriptor): Promise<void> {
    await writeDocument(this.store, layout.referrer(name, subject, entry.digest), entry);
  }

  async remove(name: string, subject: string, digest: string): Promise<void> {
    await this.store.delete(layout.referrer(name, subject, digest));
  }

  /** An image index of the referrers of `subject` (empty, never missing), optionally filtered by artifactType. */
  async index(name: string, subject: string, artifactType?: string): Promise<ReferrersIndex> {
    const keys: string[] = [];
    for await (const info of listAll(this.store, layout.referrers(name, subject))) keys.push(info.key);
    const docs = await Promise.all(keys.map((key) => readDocument<Descriptor>(this.store, key)));
    const manifests = docs.flatMap((doc) => (doc ? [doc.value] : []))
      .filter((d) => artifactType === undefined || d.artifactType === artifactType);
    return { schemaVersion: 2, mediaType: OCI_INDEX, manifests };
  }
}
