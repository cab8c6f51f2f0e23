import { describe, expect, it } from 'vitest';
import { parseDuration, parseSize } from '../../../src/lib/config/units.js';
import { locateKey } from '../../../src/lib/config/locate.js';

describe('units', () => {
  it.each([['250ms', 250], ['30s', 30_000], ['5m', 300_000], ['1h30m', 5_400_000], ['2d', 172_800_000], ['1500', 1500], [90, 90]])('duration %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.each(['', 'soon', '5 minutes', '-1s', '1x', '1h 30m'])('rejects duration %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  it.each([['4MiB', 4 * 1024 ** 2], ['200MB', 200_000_000], ['1g', 1024 ** 3], ['512', 512], ['1.5KiB', 1536]])('size %s', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });
  it.each(['', 'big', '4 MiBs', '-4MiB'])('rejects size %j', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
  // Past MAX_SAFE_INTEGER a value is no value: a 1e30-day gc grace became an Invalid Date.
  it.each([`${'9'.repeat(30)}d`, '9'.repeat(30), '9007199254740992'])('rejects an enormous duration %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  it.each([`${'9'.repeat(30)}TiB`, '9007199254740992'])('rejects an enormous size %j', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});

describe('locateKey', () => {
  const source = [
    '# comment',                 // 1
    'log.level = "info"',        // 2
    '[server]',                  // 3
    'port = 1',                  // 4
    '[storage.s3]',              // 5
    '"bucket" = "b"',            // 6
    '[[auth.rules]]',            // 7
    'subject = "a"',             // 8
    '[[auth.rules]]',            // 9
    'subject = "b"',             // 10
    '[storage]',                 // 11
    's3.region = "x"',           // 12
  ].join('\n');
  it.each([
    [['log', 'level'], 2], [['server', 'port'], 4], [['storage', 's3', 'bucket'], 6],
    [['auth', 'rules', '0', 'subject'], 8], [['auth', 'rules', '1', 'subject'], 10],
    [['storage', 's3', 'region'], 12], [['server', 'host'], 3], [['nothing'], undefined],
  ] as const)('%j is on line %s', (path, line) => {
    expect(locateKey(source, [...path])).toBe(line);
  });
});
