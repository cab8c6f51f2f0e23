// Repository names, tags and references against the distribution spec's grammar.
import { describe, expect, test } from 'vitest';
import { checkDigest, isValidName, isValidTag, parseReference } from '../../../src/lib/oci/names.js';
import { isNoraError } from '../../../src/lib/errors/nora-error.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try { fn(); } catch (error) { return isNoraError(error) ? error.code : 'THREW'; }
  return undefined;
};

describe('repository names', () => {
  test.each(['a', 'app', 'team/app', 'a/b/c/d/e', 'my-app', 'my--app', 'my_app', 'my__app', 'my.app', 'a0/b1.c_d__e-f', 'library/ubuntu', 'blobs/manifests/uploads'])('%s is valid', (name) => {
    expect(isValidName(name)).toBe(true);
  });
  test.each(['', 'A', 'Team/app', '-app', 'app-', 'app_', '_app', 'a___b', 'a..b', 'a/', '/a', 'a//b', 'a/./b', 'a/../b', 'a b', 'a:b', 'a@b', `a${'b'.repeat(255)}`])('%j is invalid', (name) => {
    expect(isValidName(name)).toBe(false);
  });
});

describe('tags', () => {
  test.each(['latest', '1.0', 'v1.2.3-rc.1', '_private', 'A_b-C.d', 'x'.repeat(128)])('%s is valid', (tag) => expect(isValidTag(tag)).toBe(true));
  test.each(['', '.hidden', '-dash', 'a/b', 'a:b', 'x'.repeat(129), 'sp ace'])('%j is invalid', (tag) => expect(isValidTag(tag)).toBe(false));
});

describe('references', () => {
  const hex = 'a'.repeat(64);
  test('a tag', () => expect(parseReference('1.0')).toEqual({ kind: 'tag', tag: '1.0' }));
  test('a sha256 digest', () => expect(parseReference(`sha256:${hex}`)).toMatchObject({ kind: 'digest', digest: { algorithm: 'sha256', hex } }));
  test('a sha512 digest', () => expect(parseReference(`sha512:${'b'.repeat(128)}`)).toMatchObject({ kind: 'digest', digest: { algorithm: 'sha512' } }));
  test.each([`sha256:${hex.slice(1)}`, `sha256:${hex.toUpperCase()}`, `md5:${'a'.repeat(32)}`, 'sha256:', ':abc', `sha256:${hex}x`])('%s is DIGEST_INVALID', (ref) => {
    expect(codeOf(() => parseReference(ref))).toBe('DIGEST_INVALID');
  });
  test.each(['.x', '-x', 'x'.repeat(129)])('%s is TAG_INVALID', (ref) => expect(codeOf(() => parseReference(ref))).toBe('TAG_INVALID'));
  test('checkDigest refuses other algorithms with DIGEST_INVALID', () => {
    expect(codeOf(() => checkDigest(`sha384:${'a'.repeat(96)}`))).toBe('DIGEST_INVALID');
    expect(codeOf(() => checkDigest(`sha256:${hex}`))).toBeUndefined();
  });
});
