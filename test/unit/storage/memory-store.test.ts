// The storage contract against the in-memory adapter: it must pass every case.
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { runStorageSuite } from '../../storage/storage-suite.js';

runStorageSuite({ name: 'memory', create: async () => new MemoryStore() });
