import { describe, expect, it } from 'vitest';
import { checkTarballFileName, isVersion, parsePackageName } from '../../../src/lib/npm/package-name.js';
import { parseDistTagPath, parseNpmPath } from '../../../src/lib/npm/npm-path.js';

describe('parsePackageName', () => {
  it.each([
    ['left-pad', { full: 'left-pad', bare: 'left-pad', escaped: 'left-pad' }],
    ['@acme/util', { full: '@acme/util', scope: 'acme', bare: 'util', escaped: '@acme%2futil' }],
    ['JSONStream', { full: 'JSONStream', bare: 'JSONStream' }],
    ['a.b_c~d-e', { full: 'a.b_c~d-e' }],
  ])('accepts %s', (text, expected) => {
    expect(parsePackageName(text)).toMatchObject(expected);
  });

  it.each([
    ['', /empty/], ['..', /must not start with/], ['../etc', /only scoped names/], ['@a/../b', /scoped name is/],
    ['@../x', /must not start with/], ['@a/..', /must not start with/], ['.hidden', /must not start/], ['_under', /must not start/],
    ['@scope', /scoped name is/], ['@/x', /empty scope/], ['a b', /may only contain/], ['a%2fb', /may only contain/],
    ['a\u0000b', /may only contain/], ['a\\b', /may only contain/], ['x'.repeat(215), /longer than 214/], [' a', /spaces/],
    ['node_modules', /reserved/], ['@a/b/c', /scoped name is/], ['ünicode', /may only contain/],
  ])('rejects %j', (text, why) => {
    expect(() => parsePackageName(text)).toThrow(why);
  });
});

describe('parseNpmPath', () => {
  it('reads both spellings of scoped names and every resource', () => {
    expect(parseNpmPath('@a%2fb')).toMatchObject({ kind: 'packument', name: { full: '@a/b' } });
    expect(parseNpmPath('@a%2Fb')).toMatchObject({ kind: 'packument', name: { full: '@a/b' } });
    expect(parseNpmPath('@a/b')).toMatchObject({ kind: 'packument', name: { full: '@a/b' } });
    expect(parseNpmPath('x/1.0.0')).toMatchObject({ kind: 'version', spec: '1.0.0' });
    expect(parseNpmPath('@a/b/-/b-1.0.0.tgz')).toMatchObject({ kind: 'tarball', file: 'b-1.0.0.tgz' });
    expect(parseNpmPath('@a%2fb/-/@a/b-1.0.0.tgz')).toMatchObject({ kind: 'tarball', name: { full: '@a/b' }, file: 'b-1.0.0.tgz' });
    expect(parseNpmPath('x/-rev/3-abc')).toMatchObject({ kind: 'rev', rev: '3-abc' });
    expect(parseNpmPath('x/-/x-1.0.0.tgz/-rev/4-ff')).toMatchObject({ kind: 'tarball-rev', file: 'x-1.0.0.tgz', rev: '4-ff' });
  });

  it.each(['..%2f..%2fetc', '%2e%2e', 'x/-/..%2fy.tgz', 'x/-/.y.tgz', 'x/-/y.tar', 'x/-rev/zz', 'x/a/b', '@a%2f..', 'x/-/@other/x-1.0.0.tgz', '%E0%A4%A'])('rejects %s', (path) => {
    expect(() => parseNpmPath(path)).toThrow();
  });

  it('parses dist-tag paths', () => {
    expect(parseDistTagPath('@a%2fb/dist-tags')).toMatchObject({ name: { full: '@a/b' } });
    expect(parseDistTagPath('x/dist-tags/beta')).toMatchObject({ tag: 'beta' });
    expect(() => parseDistTagPath('x/other')).toThrow(/unknown path/);
  });
});

describe('versions and file names', () => {
  it.each(['1.0.0', '0.0.1-alpha.1', '1.2.3+build.5', '10.20.30-rc.1+meta'])('%s is a version', (v) => expect(isVersion(v)).toBe(true));
  it.each(['1.0', 'v1.0.0', '01.0.0', '1.0.0-', 'latest', ''])('%s is not', (v) => expect(isVersion(v)).toBe(false));
  it('checks tarball file names', () => {
    expect(checkTarballFileName('x-1.0.0.tgz')).toBe('x-1.0.0.tgz');
    for (const bad of ['../x.tgz', 'x..tgz', '.x.tgz', 'x.tar', 'a/b.tgz', '']) expect(() => checkTarballFileName(bad)).toThrow();
  });
});
