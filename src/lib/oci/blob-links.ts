// Which blobs belong to which repository. The bytes live once in the shared blob store; a link
// makes a blob visible in one repository (so pulls, mounts and manifest checks are per
// repository) and unlinking never touches bytes another repository or format may share.
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, writeDocument } from '../storage/documents.js';
import { layout } from './layout.js';

export interface BlobLink {
  digest: string;
  size: number;
}

export class BlobLinks {
  constructor(private readonly store: ObjectStore) {}

  async get(name: string, digest: string): Promise<BlobLink | undefined> {
    return (await readDocument<BlobLink>(this.store, layout.layer(name, digest)))?.value;
  }

  async has(name: string, digest: string): Promise<boolean> {
    return (await this.store.stat(layout.layer(name, digest))) !== undefined;
  }

  /** Idempotent: linking twice leaves one link. */
  async link(name: string, digest: string, size: number): Promise<void> {
    await writeDocument<BlobLink>(this.store, layout.layer(name, digest), { digest, size });
  }

  /** False when the blob was not linked. */
  async unlink(name: string, digest: string): Promise<boolean> {
    return this.store.delete(layout.layer(name, digest));
  }
}
