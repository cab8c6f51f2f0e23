// What the Maven domain functions need from Services (a narrow view, so commands and tests can
// build one without a server).
import type { BlobStore } from '../blobs/blob-store.js';
import type { NoraConfig } from '../config/schema.js';
import type { EventBus } from '../events/bus.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { WriteGate } from '../formats/write-gate.js';

export interface MavenContext {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  config: NoraConfig['maven'];
  /** Tenant quotas and push limits, asked before a deployed file is stored; admits everything when absent. */
  gate?: WriteGate | undefined;
}
