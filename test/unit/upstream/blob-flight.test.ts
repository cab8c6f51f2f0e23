// The shared download of one blob: readers joining at any time get every byte, the last byte
// only after the commit, readers behind the window continue from the stored copy, and a failed
// download destroys every reader.
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, test } from 'vitest';
import { BlobFlight } from '../../../src/lib/upstream/blob-flight.js';

function makeFlight(windowBytes = 1 << 20, commitGate?: Promise<void>, onBodyRead?: () => void) {
  const source = new PassThrough();
  let stored = Buffer.alloc(0);
  const flight = new BlobFlight(source, {
    size: undefined,
    windowBytes,
    commit: async (body) => {
      const bytes = await buffer(body);
      onBodyRead?.();
      await commitGate;
      stored = bytes;
    },
    openStored: async (start, end) => Readable.from([stored.subarray(start, end === undefined ? undefined : end + 1)]),
  });
  return { source, flight };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BlobFlight', () => {
  test('early and late readers both receive the whole blob; ranges are honoured', async () => {
    const { source, flight } = makeFlight();
    const early = buffer(flight.reader());
    source.write(Buffer.from('hello '));
    await tick();
    const late = buffer(flight.reader());
    const ranged = buffer(flight.reader(2, 7));
    source.end(Buffer.from('world'));
    expect((await early).toString()).toBe('hello world');
    expect((await late).toString()).toBe('hello world');
    expect((await ranged).toString()).toBe('llo wo');
  });

  test('the last byte waits for the commit', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    let bodyRead!: () => void;
    const stored = new Promise<void>((r) => { bodyRead = r; });
    const { source, flight } = makeFlight(1 << 20, gate, bodyRead);
    const chunks: Buffer[] = [];
    const reader = flight.reader();
    const fiveBytes = new Promise<void>((r) => reader.on('data', (c: Buffer) => { chunks.push(c); if (Buffer.concat(chunks).length >= 5) r(); }));
    source.end(Buffer.from('abcdef'));
    // Every byte has reached the store's side and the reader has what it may have: the commit
    // is what is still pending, so the sixth byte must still be held back.
    await Promise.all([stored, fiveBytes]);
    await tick();
    expect(Buffer.concat(chunks).toString()).toBe('abcde');
    open();
    await flight.done;
    await new Promise((r) => reader.once('end', r));
    expect(Buffer.concat(chunks).toString()).toBe('abcdef');
  });

  test('a reader joining after the window has moved on continues from the stored blob', async () => {
    const { source, flight } = makeFlight(4);
    source.write(Buffer.from('0123'));
    source.write(Buffer.from('4567'));
    await tick();
    const late = buffer(flight.reader(1));
    source.end(Buffer.from('89'));
    expect((await late).toString()).toBe('123456789');
  });

  test('a failed download destroys every reader and keeps nothing', async () => {
    const { source, flight } = makeFlight();
    const reader = buffer(flight.reader());
    source.write(Buffer.from('partial'));
    await tick();
    source.destroy(new Error('connection cut'));
    await expect(reader).rejects.toThrow('connection cut');
    await flight.done;
    expect(flight.failure?.message).toBe('connection cut');
    await expect(buffer(flight.reader())).rejects.toThrow('connection cut');
  });
});
