// Single-flight downloads: every caller joining a running download streams it; a failure reaches
// every reader that joined, and the next caller begins a fresh download (the key is free before
// anyone hears of the failure); checksums are verified before the last chunk reaches anyone.
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, test } from 'vitest';
import { Downloads, type DownloadPlan } from '../../../src/lib/upstream/downloads.js';

function plan(source: Readable, store: { bytes?: Buffer }, extra: Partial<DownloadPlan> = {}): DownloadPlan {
  return {
    source,
    size: undefined,
    commit: async (body) => { store.bytes = await buffer(body); },
    openStored: async (start, end) => Readable.from([store.bytes!.subarray(start, end === undefined ? undefined : end + 1)]),
    ...extra,
  };
}

describe('Downloads', () => {
  test('callers that join a running download share it', async () => {
    const downloads = new Downloads();
    const source = new PassThrough();
    let begun = 0;
    const begin = async () => { begun++; return plan(source, {}); };
    const [a, b] = await Promise.all([downloads.join('k', begin), downloads.join('k', begin)]);
    expect(a).toBe(b);
    const readers = [buffer(a!.reader()), buffer(b!.reader())];
    source.end(Buffer.from('shared bytes'));
    expect((await Promise.all(readers)).map(String)).toEqual(['shared bytes', 'shared bytes']);
    expect(begun).toBe(1);
  });

  test('a failure reaches every joined reader; the next caller begins again', async () => {
    const downloads = new Downloads();
    const sources = [new PassThrough(), new PassThrough()];
    let begun = 0;
    const begin = async () => plan(sources[begun++]!, {});
    const first = (await downloads.join('k', begin))!;
    const joined = (await downloads.join('k', begin))!;
    const readers = [buffer(first.reader()), buffer(joined.reader())];
    sources[0]!.write('partial');
    sources[0]!.destroy(new Error('connection cut'));
    for (const reader of readers) await expect(reader).rejects.toThrow('connection cut');
    expect(downloads.get('k')).toBeUndefined();
    const again = (await downloads.join('k', begin))!;
    expect(again).not.toBe(first);
    const reader = buffer(again.reader());
    sources[1]!.end('whole');
    expect(String(await reader)).toBe('whole');
    expect(begun).toBe(2);
  });

  test('bytes that miss their checksum are never committed and never reach a reader whole', async () => {
    const downloads = new Downloads();
    const store: { bytes?: Buffer } = {};
    const wrong = createHash('sha1').update('other bytes').digest('hex');
    const source = new PassThrough();
    const flight = (await downloads.join('k', async () => plan(source, store, {
      expected: { checksums: { sha1: wrong }, mismatch: (algorithm) => new Error(`${algorithm} mismatch`) },
    })))!;
    const reader = buffer(flight.reader());
    source.end(Buffer.from('the bytes sent'));
    await expect(reader).rejects.toThrow('sha1 mismatch');
    await flight.done;
    expect(store.bytes).toBeUndefined();
  });

  test('nothing to download (begin answers undefined) frees the key', async () => {
    const downloads = new Downloads();
    expect(await downloads.join('k', async () => undefined)).toBeUndefined();
    expect(downloads.get('k')).toBeUndefined();
  });
});
