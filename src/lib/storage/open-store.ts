// Builds the configured adapter. A static table, not a plugin loader: NORA ships as one bundle.
// The S3 SDK is loaded only when an S3 store is opened (it costs startup time and memory).
import path from 'node:path';
import type { NoraConfig } from '../config/schema.js';
import type { ObjectStore } from './object-store.js';
import { FsStore } from './fs-store.js';
import { MemoryStore } from './memory-store.js';
import { translateFsError } from './errors.js';
import { translatedStore } from './translated-store.js';

type StorageConfig = NoraConfig['storage'];

const adapters: Record<StorageConfig['backend'], (config: StorageConfig) => Promise<ObjectStore>> = {
  memory: async () => new MemoryStore(),
  fs: async (config) => translatedStore(await new FsStore({ root: path.resolve(config.data_dir) }).open(config.temp_ttl), translateFsError),
  s3: async (config) => {
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
};

export function openStore(config: StorageConfig): Promise<ObjectStore> {
  return adapters[config.backend](config);
}
