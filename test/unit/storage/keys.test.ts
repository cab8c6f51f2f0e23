// Storage keys: the one-pass check accepts exactly what the per-segment rules accept, and every
// refusal still names its problem.
import { describe, expect, it } from 'vitest';
import { assertValidKey, assertValidPrefix } from '../../../src/lib/storage/keys.js';
import { isStorageError } from '../../../src/lib/storage/errors.js';

const refusal = (key: string): string | undefined => {
  try {
    assertValidKey(key);
    return undefined;
  } catch (error) {
    expect(isStorageError(error, 'INVALID_PATH')).toBe(true);
    return (error as Error).message;
  }
};

describe('storage keys', () => {
  it.each([
    'a', 'oci/repos/library/alpine/_manifests/tags/3.19/current', 'x/y.z/-a_b@c+d=e,f~g:h', `${'s'.repeat(255)}/b`,
    `a/${'s'.repeat(255)}`, `${'a/'.repeat(511)}a`, 'a..b/c.', '-a/_b/~c',
  ])('accepts %s', (key) => {
    expect(refusal(key)).toBeUndefined();
  });

  it.each([
    ['', 'empty key'],
    ['/a', 'empty segment'],
    ['a/', 'empty segment'],
    ['a//b', 'empty segment'],
    ['a/../b', "segment \"..\" has a forbidden character or starts with '.'"],
    ['./a', "starts with '.'"],
    ['a/.hidden', "starts with '.'"],
    ['a/b c', 'forbidden character'],
    ['a\\b', 'forbidden character'],
    ['a/b\0', 'forbidden character'],
    ['a/é', 'forbidden character'],
    [`${'s'.repeat(256)}/b`, 'segment longer than 255 characters'],
    [`a/${'s'.repeat(256)}`, 'segment longer than 255 characters'],
    ['a'.repeat(1025), 'longer than 1024 characters'],
  ])('refuses %j: %s', (key, problem) => {
    expect(refusal(key)).toContain(problem);
  });

  it('a prefix may end in a slash, a key may not', () => {
    expect(() => assertValidPrefix('a/b/')).not.toThrow();
    expect(() => assertValidPrefix('')).not.toThrow();
    expect(refusal('a/b/')).toContain('empty segment');
  });
});
