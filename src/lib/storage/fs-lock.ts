// Per-key lock files for the filesystem adapter (<root>/.locks/<hash of key>), created with
// O_EXCL so several processes on one data directory (a server and `nora gc`) agree. A lock older
// than any write takes belongs to a crashed process and is broken.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StorageUnavailable } from './errors.js';

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 15_000;

/** Runs `work` holding the lock of `key`; STORAGE_UNAVAILABLE when it cannot be had in time. */
export async function withKeyLock<T>(lockDir: string, key: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(lockDir, createHash('sha256').update(key).digest('hex').slice(0, 40));
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await fs.open(lock, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stat = await fs.stat(lock).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) await fs.rm(lock, { force: true });
      if (Date.now() > deadline) throw StorageUnavailable(`timed out waiting for the lock on ${key}`);
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 10));
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lock, { force: true });
  }
}
