// Every format's service over a given store, for unit tests of ops/ that do not need a server.
import { BlobStore } from '../../src/lib/blobs/blob-store.js';
import { loadConfig } from '../../src/lib/config/loader.js';
import { EventBus } from '../../src/lib/events/bus.js';
import { createFormats, type Formats } from '../../src/lib/formats/create-formats.js';
import { Metrics } from '../../src/lib/metrics/metrics.js';
import { PullTracker } from '../../src/lib/pulls/pull-tracker.js';
import type { ObjectStore } from '../../src/lib/storage/object-store.js';

export function formatsFor(store: ObjectStore, events = new EventBus()): Formats {
  const { config } = loadConfig({ env: {}, cwd: '/nonexistent-nora-test-dir', flags: { 'storage.backend': 'memory', 'npm.upstream': '' } });
  return createFormats({ config, store, blobs: new BlobStore(store), events, pulls: new PullTracker({ store }), metrics: new Metrics({ processMetrics: false }), log: { warn: () => undefined } }).formats;
}
