// PEP 503 names, PEP 440 canonical versions, wheel and sdist filenames.
import { describe, expect, it } from 'vitest';
import { isNormalizedName, isValidName, normalizeName } from '../../../src/lib/pypi/names.js';
import { canonicalVersion, releaseKey, sameRelease, sameVersion } from '../../../src/lib/pypi/versions.js';
import { prepareUpload } from '../../../src/lib/pypi/upload-form.js';
import { isSafeFilename, parseDistFilename } from '../../../src/lib/pypi/filenames.js';

describe('names', () => {
  it.each([
    ['My_Pkg', 'my-pkg'], ['my-pkg', 'my-pkg'], ['Nora_Harness.Lib', 'nora-harness-lib'], ['a__-._b', 'a-b'], ['Django', 'django'], ['zope.interface', 'zope-interface'],
  ])('normalizes %s to %s', (name, normalized) => {
    expect(normalizeName(name)).toBe(normalized);
    expect(isNormalizedName(normalized)).toBe(true);
  });

  it.each(['a', 'A1', 'my_pkg', 'my.pkg-2'])('accepts %s', (name) => expect(isValidName(name)).toBe(true));
  it.each(['', '-a', 'a-', '_a', 'a b', 'a/b', '..', 'a\u00e9', 'x'.repeat(201)])('refuses %j', (name) => expect(isValidName(name)).toBe(false));
  it.each(['My-Pkg', 'my_pkg', 'my--pkg', '-a'])('%s is not normalized', (name) => expect(isNormalizedName(name)).toBe(false));
});

describe('versions', () => {
  it.each([
    ['1.0', '1.0'], ['v1.0', '1.0'], ['1.0-RC1', '1.0rc1'], ['1.0.alpha.2', '1.0a2'], ['1.0c1', '1.0rc1'], ['1.0-1', '1.0.post1'],
    ['1.0.post', '1.0.post0'], ['1.0-dev3', '1.0.dev3'], ['01.002', '1.2'], ['0!1.0', '1.0'], ['2!1.0', '2!1.0'], ['1.0+Ubuntu-1', '1.0+ubuntu.1'],
    ['1.0_rev2', '1.0.post2'], ['1.0a1.post2.dev3', '1.0a1.post2.dev3'],
  ])('%s is canonically %s', (version, canonical) => expect(canonicalVersion(version)).toBe(canonical));

  it.each(['', 'one', '1..0', '1.0-', '1.0+', 'x1.0', '1'.repeat(200)])('%j is not a version', (v) => expect(canonicalVersion(v)).toBeUndefined());
  it('compares spellings', () => {
    expect(sameVersion('1.0-rc1', '1.0rc1')).toBe(true);
    expect(sameVersion('1.0', '1.0.0')).toBe(false);
    expect(sameVersion('nope', 'nope')).toBe(false);
  });
});

describe('releases (PEP 440 equality: release segments compare zero-padded)', () => {
  it.each([
    ['1.0', '1'], ['1.0.0', '1'], ['v1.0.0.0', '1'], ['1.10', '1.10'], ['0.0', '0'], ['1.0.0rc1', '1rc1'], ['1.0.post0', '1.post0'],
    ['2!1.0', '2!1'], ['1.0.0+Local-1', '1+local.1'], ['1.0.1', '1.0.1'],
  ])('%s is release %s', (version, key) => expect(releaseKey(version)).toBe(key));

  it('finds one release under every spelling, and nothing more', () => {
    expect(sameRelease('1.0', '1.0.0')).toBe(true);
    expect(sameRelease('V1', '1.0.0.0')).toBe(true);
    expect(sameRelease('1.0', '1.0.1')).toBe(false);
    expect(sameRelease('1.0', '1.0rc1')).toBe(false);
    expect(sameRelease('1.0', '1.0+local')).toBe(false);
    expect(sameRelease('1.0', '10')).toBe(false);
    expect(sameRelease('nope', 'nope')).toBe(false);
  });

  it('accepts an upload whose filename spells the declared version another way', () => {
    const fields = new Map([[':action', 'file_upload'], ['name', 'demo'], ['version', '1.0'], ['sha256_digest', 'a'.repeat(64)]]);
    expect(prepareUpload(fields, 'demo-1.0.0.tar.gz')).toMatchObject({ project: 'demo', version: '1.0', dist: { kind: 'sdist', version: '1.0.0' } });
    expect(() => prepareUpload(fields, 'demo-1.0.1.tar.gz')).toThrow(/for version 1.0.1, not 1.0/);
  });
});

describe('filenames', () => {
  it.each([
    ['nora_demo-1.0-py3-none-any.whl', { kind: 'wheel', name: 'nora_demo', version: '1.0' }],
    ['numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', { kind: 'wheel', name: 'numpy', version: '1.26.4' }],
    ['pkg-2.0-1build-py3-none-any.whl', { kind: 'wheel', name: 'pkg', version: '2.0' }],
    ['pkg-1.0+local.1-py3-none-any.whl', { kind: 'wheel', name: 'pkg', version: '1.0+local.1' }],
    ['nora_demo-1.0.tar.gz', { kind: 'sdist', name: 'nora_demo', version: '1.0' }],
    ['Old-Style-Name-2.1rc1.zip', { kind: 'sdist', name: 'Old-Style-Name', version: '2.1rc1' }],
  ])('parses %s', (filename, expected) => expect(parseDistFilename(filename)).toEqual(expected));

  it('uses the project name to split sdists with "-" in the name', () => {
    expect(parseDistFilename('my-pkg-1.0.tar.gz', 'My_Pkg')).toEqual({ kind: 'sdist', name: 'my-pkg', version: '1.0' });
    expect(parseDistFilename('my-pkg-1.0.tar.gz', 'other')).toBeUndefined();
  });

  it.each([
    'pkg-1.0.exe', 'pkg-1.0-py3-none.whl', 'pkg-one-py3-none-any.whl', 'pkg.tar.gz', '../pkg-1.0.tar.gz', 'pkg-1.0.tar.gz/', 'a\\b-1.0.tar.gz',
    '.hidden-1.0.tar.gz', '<script>-1.0.tar.gz', 'pkg-1.0.tar.bz2', 'x'.repeat(300) + '-1.0.tar.gz',
  ])('refuses %s', (filename) => expect(parseDistFilename(filename)).toBeUndefined());

  it('only calls names of the safe character set safe', () => {
    expect(isSafeFilename('a-1.0.tar.gz')).toBe(true);
    for (const bad of ['a/b', 'a"b', "a'b", 'a b', 'a..b', '', 'a%2e']) expect(isSafeFilename(bad)).toBe(false);
  });
});
