// Builds the configured adapter. A static table, not a plugin loader: NORA ships as one bundle.
// The S3 SDK is loaded only when an S3 store is opened (it costs startup time and memory).
// Every store is opened through its format marker (store-marker.ts): `create` makes a new store
// where there is none (serve, restore, a migrate target); `existing` refuses a place that holds
// no NORA store, without creating anything there (every other operator command).
import path from 'node:path';
import type { NoraConfig } from '../config/schema.js';
import type { ObjectStore } from './object-store.js';
import { FsStore } from './fs-store.js';
import { MemoryStore } from './memory-store.js';
import { isStorageError, StoreUnusable, translateFsError } from './errors.js';
import { translatedStore } from './translated-store.js';
import { holdsNoraObjects, openMarker, readMarker, StoreNotFound, type MarkerOutcome } from './store-marker.js';
import { probeWrite } from './write-health.js';
import { NORA_VERSION } from '../version.js';

type StorageConfig = NoraConfig['storage'];

/** create: make one if there is none; existing: refuse if there is none; inspect: never write (dry runs). */
export type StoreMode = 'create' | 'existing' | 'inspect';

export interface OpenStoreOptions {
  /** Default 'create'. */
  mode?: StoreMode;
  /** Write and remove a probe object after opening, so an unwritable store fails now (serve). */
  probeWrites?: boolean;
  /** Told what the marker check found (serve logs an adoption or an upgrade). */
  onMarker?: (outcome: MarkerOutcome) => void;
  /** Folders (keys ending in "/") the fs store keeps when they empty (FsStoreOptions.keepFolder). */
  keepFolder?: (folder: string) => boolean;
}

interface Adapter {
  /** The store, built but not yet opened: nothing is created on disk or in a bucket. */
  build(config: StorageConfig, options: OpenStoreOptions): Promise<ObjectStore>;
  /** Creates what the store needs to take writes (directories); runs after the marker check. */
  prepare?(store: ObjectStore, config: StorageConfig): Promise<void>;
}

const adapters: Record<StorageConfig['backend'], Adapter> = {
  memory: { build: async () => new MemoryStore() },
  fs: {
    build: async (config, options) => translatedStore(new FsStore({ root: path.resolve(config.data_dir), ...(options.keepFolder ? { keepFolder: options.keepFolder } : {}) }), translateFsError),
    prepare: async (store, config) => { await (store as FsStore).open(config.temp_ttl); },
  },
  s3: {
    build: async (config) => {
      const { S3Store } = await import('./s3-store.js');
      const s3 = config.s3;
      return new S3Store({
        bucket: s3.bucket,
        region: s3.region,
        prefix: s3.prefix,
        pathStyle: s3.path_style,
        partSize: s3.part_size,
        ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
        ...(s3.access_key_id ? { credentials: { accessKeyId: s3.access_key_id, secretAccessKey: s3.secret_access_key } } : {}),
      });
    },
  },
};

/** How an operator names the store: the absolute data directory, or s3://bucket/prefix (endpoint). */
export function storeLocation(config: StorageConfig): string {
  if (config.backend === 'fs') return path.resolve(config.data_dir);
  if (config.backend === 'memory') return 'the in-memory store';
  const prefix = config.s3.prefix.replace(/^\/+|\/+$/g, '');
  return `s3://${config.s3.bucket}${prefix ? `/${prefix}` : ''}${config.s3.endpoint ? ` at ${config.s3.endpoint}` : ''}`;
}

/** True when two storage configurations name the same store (same directory, or same bucket and prefix). */
export function sameStore(a: StorageConfig, b: StorageConfig): boolean {
  if (a.backend !== b.backend) return false;
  if (a.backend === 'memory') return false;
  if (a.backend === 'fs') return path.resolve(a.data_dir) === path.resolve(b.data_dir);
  const norm = (p: string) => p.replace(/^\/+|\/+$/g, '');
  return a.s3.bucket === b.s3.bucket && norm(a.s3.prefix) === norm(b.s3.prefix) && (a.s3.endpoint || '') === (b.s3.endpoint || '');
}

export async function openStore(config: StorageConfig, options: OpenStoreOptions = {}): Promise<ObjectStore> {
  const adapter = adapters[config.backend];
  const store = await adapter.build(config, options);
  const location = storeLocation(config);
  const mode = options.mode ?? 'create';
  try {
    // An existing store is recognised read-only first, so a mistyped path or prefix is left untouched.
    if (mode === 'inspect') {
      await readMarker(store, location);
      return store;
    }
    if (mode === 'existing' && !(await readMarker(store, location)) && !(await holdsNoraObjects(store))) throw StoreNotFound(location);
    await adapter.prepare?.(store, config);
    const outcome = await openMarker(store, { create: mode === 'create', location, version: NORA_VERSION });
    options.onMarker?.(outcome);
    if (options.probeWrites) {
      await probeWrite(store).catch((error: unknown) => {
        throw StoreUnusable(location, `a test write failed: ${(error as Error).message}`, error);
      });
    }
    return store;
  } catch (error) {
    await store.close().catch(() => undefined);
    if (isStorageError(error, 'STORAGE_UNAVAILABLE') && config.backend === 'fs') {
      throw StoreUnusable(location, (error as Error).message.replace(/^storage unavailable: /, ''), error);
    }
    throw error;
  }
}
