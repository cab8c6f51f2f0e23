// Stream and compare-and-swap helpers for the storage suite and adapter-specific storage tests.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectStore } from '../../src/lib/storage/object-store.js';
import { isStorageError } from '../../src/lib/storage/errors.js';

/** Declares one suite case: `it`, or `it.skip` when the adapter under test skips it. */
export type SuiteTest = (name: string, body: () => Promise<void>, timeout?: number) => void;

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function getText(store: ObjectStore, key: string): Promise<string> {
  return (await readAll((await store.get(key)).body)).toString();
}

/** A stream of `chunks` buffers that only says how long it is by ending. */
export const streamOf = (...chunks: string[]): Readable => Readable.from(chunks.map((c) => Buffer.from(c)));

/** Emits `bytesBeforeError` bytes, then fails, as a client hanging up mid-upload. */
export function failingStream(bytesBeforeError: number): Readable {
  return Readable.from((async function* () {
    for (let sent = 0; sent < bytesBeforeError; sent += 64 * 1024) yield Buffer.alloc(Math.min(64 * 1024, bytesBeforeError - sent), 7);
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error('client went away');
  })());
}

/**
 * `total` pseudo-random bytes in 64 KiB chunks of unknown overall length, never held whole;
 * `digest()` is their sha256 once the stream has been consumed.
 */
export function bigStream(total: number): { body: Readable; digest: () => string } {
  const hash = createHash('sha256');
  const body = Readable.from((function* () {
    for (let sent = 0; sent < total; ) {
      const chunk = randomBytes(Math.min(64 * 1024, total - sent));
      hash.update(chunk);
      sent += chunk.length;
      yield chunk;
    }
  })());
  return { body, digest: () => hash.digest('hex') };
}

export async function sha256Of(body: Readable): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { hex: hash.digest('hex'), size };
}

/**
 * Adds one to the counter document at `key` with read, then conditional write, retried on
 * PRECONDITION_FAILED: the loop every metadata writer above the port uses. Returns the retries.
 */
export async function increment(store: ObjectStore, key: string): Promise<number> {
  for (let retries = 0; retries < 500; retries++) {
    let current: { etag: string; n: number } | undefined;
    try {
      const { info, body } = await store.get(key);
      current = { etag: info.etag, n: (JSON.parse((await readAll(body)).toString()) as { n: number }).n };
    } catch (error) {
      if (!isStorageError(error, 'NOT_FOUND')) throw error;
    }
    const next = Buffer.from(JSON.stringify({ n: (current?.n ?? 0) + 1 }));
    try {
      await store.put(key, next, current ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
      return retries;
    } catch (error) {
      if (!isStorageError(error, 'PRECONDITION_FAILED')) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
  }
  throw new Error(`gave up incrementing ${key}`);
}

/** Resolves to the error code a promise rejects with (or fails the test if it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  throw new Error('expected a rejection');
}

/** 'ok' when `promise` resolves, else the error's code. */
export async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}
