import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatIntegrity, parseIntegrity, parseShasum } from '../../../src/lib/npm/integrity.js';
import { abbreviate, compareVersions, highestVersion, renderPackument, tarballFileOf, wantsAbbreviated, type Packument } from '../../../src/lib/npm/packument.js';

describe('integrity', () => {
  const bytes = Buffer.from('tarball');
  const hex = createHash('sha512').update(bytes).digest('hex');
  it('parses sha512 SRI, also among other entries, and round-trips', () => {
    const sri = formatIntegrity(hex);
    expect(parseIntegrity(sri)).toEqual({ algorithm: 'sha512', hex });
    expect(parseIntegrity(`sha1-abc ${sri}`)).toEqual({ algorithm: 'sha512', hex });
  });
  it.each([undefined, 42, '', 'sha1-AAAA', 'sha512-short', 'sha512-!!!', 'md5-xyz'])('rejects %j', (v) => expect(parseIntegrity(v)).toBeUndefined());
  it('parses shasums', () => {
    expect(parseShasum('A'.repeat(40))).toBe('a'.repeat(40));
    expect(parseShasum('a'.repeat(39))).toBeUndefined();
    expect(parseShasum('z'.repeat(40))).toBeUndefined();
  });
});

const packument: Packument = {
  name: '@a/b',
  description: 'desc',
  readme: '# b',
  'dist-tags': { latest: '1.0.0' },
  time: { created: '2020-01-01T00:00:00.000Z', modified: '2020-01-02T00:00:00.000Z', '1.0.0': '2020-01-01T00:00:00.000Z' },
  versions: {
    '1.0.0': { name: '@a/b', version: '1.0.0', description: 'desc', scripts: { test: 'x' }, dependencies: { c: '^1' }, deprecated: 'old', dist: { tarball: 'b-1.0.0.tgz', integrity: 'sha512-x', shasum: 'y' } },
  },
};

describe('renderPackument', () => {
  it('renders the full form with _id, _rev and tarballs at the registry base', () => {
    const full = renderPackument(packument, { registryBase: 'https://nora.test/npm', abbreviated: false, rev: '3-ab' }) as any;
    expect(full).toMatchObject({ _id: '@a/b', _rev: '3-ab', readme: '# b', description: 'desc' });
    expect(full.versions['1.0.0'].dist.tarball).toBe('https://nora.test/npm/@a/b/-/b-1.0.0.tgz');
    expect(full.versions['1.0.0'].scripts).toEqual({ test: 'x' });
  });

  it('renders the abbreviated form with install fields only', () => {
    const short = renderPackument(packument, { registryBase: 'http://h/npm', abbreviated: true }) as any;
    expect(Object.keys(short).sort()).toEqual(['dist-tags', 'modified', 'name', 'versions']);
    expect(short.modified).toBe('2020-01-02T00:00:00.000Z');
    expect(short.versions['1.0.0']).toEqual({ name: '@a/b', version: '1.0.0', deprecated: 'old', dependencies: { c: '^1' }, dist: { tarball: 'http://h/npm/@a/b/-/b-1.0.0.tgz', integrity: 'sha512-x', shasum: 'y' } });
  });

  it('rewrites upstream tarball URLs by their file name', () => {
    const upstream = { ...packument, versions: { '1.0.0': { ...packument.versions['1.0.0']!, dist: { tarball: 'https://registry.npmjs.org/@a/b/-/b-1.0.0.tgz' } } } };
    expect((renderPackument(upstream, { registryBase: 'http://n/npm', abbreviated: true }) as any).versions['1.0.0'].dist.tarball).toBe('http://n/npm/@a/b/-/b-1.0.0.tgz');
    expect(tarballFileOf('https://r/x/-/x-1.0.0.tgz?token=1')).toBe('x-1.0.0.tgz');
    expect(abbreviate(packument.versions['1.0.0']!).description).toBeUndefined();
  });

  it('passes malformed upstream versions through instead of failing', () => {
    const odd = { ...packument, versions: { '1.0.0': { name: 'x', version: '1.0.0' } as never, '2.0.0': null as never } };
    expect((renderPackument(odd, { registryBase: 'http://n/npm', abbreviated: true }) as any).versions).toEqual({ '1.0.0': { name: 'x', version: '1.0.0' }, '2.0.0': null });
  });

  it('knows which Accept header wants the abbreviated form', () => {
    expect(wantsAbbreviated('application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*')).toBe(true);
    expect(wantsAbbreviated('application/json')).toBe(false);
    expect(wantsAbbreviated(undefined)).toBe(false);
  });
});

describe('version ordering', () => {
  it('orders by semver precedence', () => {
    const sorted = ['1.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '0.9.9', '1.10.0', '1.2.0'].sort(compareVersions);
    expect(sorted).toEqual(['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0', '1.2.0', '1.10.0']);
    expect(highestVersion(['1.0.0', '2.0.0-rc.1'])).toBe('1.0.0');
    expect(highestVersion(['2.0.0-rc.1'], true)).toBe('2.0.0-rc.1');
  });
});
