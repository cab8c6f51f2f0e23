// What npm metadata keeps alive, for garbage collection: every blob named by a local package
// document, a cached upstream packument or a tarball-cache record under repos/npm/ (digests and
// sha512 integrity strings alike).
import type { ObjectStore } from '../storage/object-store.js';
import { digestsInDocuments, type DocumentFilter } from '../blobs/digest-scan.js';

export function referencedBlobs(store: ObjectStore, filter: DocumentFilter = {}): AsyncGenerator<string> {
  return digestsInDocuments(store, 'repos/npm/', { ...filter, integrity: true });
}
