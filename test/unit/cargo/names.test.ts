// Crate names (crates.io rules, reserved names, traversal), normalisation and index paths.
import { describe, expect, it } from 'vitest';
import { crateNameProblem, indexPath, namePrefix, normalizeName, parseIndexPath } from '../../../src/lib/cargo/names.js';
import { expandDl } from '../../../src/lib/cargo/dl-template.js';

describe('crate names', () => {
  it.each(['serde', 'Foo_Bar', 'a', 'x-1', 'tokio-util', 'a'.repeat(64)])('accepts %s', (name) => {
    expect(crateNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['../x', 'only ASCII letters, digits, - and _ are allowed'],
    ['a/b', 'only ASCII letters, digits, - and _ are allowed'],
    ['x y', 'only ASCII letters, digits, - and _ are allowed'],
    ['café', 'only ASCII letters, digits, - and _ are allowed'],
    ['1abc', 'must start with an ASCII letter'],
    ['_abc', 'must start with an ASCII letter'],
    ['a'.repeat(65), 'longer than 64 characters'],
    ['nul', 'the name is reserved'],
    ['CON', 'the name is reserved'],
    ['com1', 'the name is reserved'],
    ['Lpt9', 'the name is reserved'],
    ['std', 'the name is reserved'],
    ['proc_macro', 'the name is reserved'],
  ])('refuses %j: %s', (name, why) => {
    expect(crateNameProblem(name)).toBe(why);
  });

  it('treats case, - and _ as one crate', () => {
    expect(normalizeName('Foo_Bar')).toBe('foo-bar');
    expect(normalizeName('foo-bar')).toBe('foo-bar');
  });
});

describe('index paths', () => {
  it.each([
    ['a', '1/a'], ['AB', '2/ab'], ['abc', '3/a/abc'], ['Serde', 'se/rd/serde'], ['tokio-util', 'to/ki/tokio-util'], ['ab_c', 'ab/_c/ab_c'],
  ])('%s lives at %s', (name, path) => {
    expect(indexPath(name)).toBe(path);
  });

  it('parses index paths back, case-insensitively, and refuses others', () => {
    expect(parseIndexPath('se/rd/serde')).toBe('serde');
    expect(parseIndexPath('se/rd/Serde')).toBe('Serde');
    expect(parseIndexPath('3/a/abc')).toBe('abc');
    expect(parseIndexPath('1/a')).toBe('a');
    expect(parseIndexPath('3/b/abc')).toBeUndefined();
    expect(parseIndexPath('se/rd/serde/x')).toBeUndefined();
    expect(parseIndexPath('2/abc')).toBeUndefined();
    expect(parseIndexPath('se/rd/../serde')).toBeUndefined();
    expect(parseIndexPath('config.json')).toBeUndefined();
    expect(parseIndexPath('')).toBeUndefined();
  });

  it('expands dl templates as cargo does', () => {
    const sum = 'f'.repeat(64);
    expect(expandDl('https://x/api/v1/crates', 'Serde', '1.0.0', sum)).toBe('https://x/api/v1/crates/Serde/1.0.0/download');
    expect(expandDl('https://x/{prefix}/{lowerprefix}/{crate}-{version}.crate?s={sha256-checksum}', 'Serde', '1.0.0', sum))
      .toBe(`https://x/Se/rd/se/rd/Serde-1.0.0.crate?s=${sum}`);
    expect(namePrefix('abc')).toBe('3/a');
  });
});
