// Index lines rendered from publish metadata: renamed and cross-registry deps, features2 and v,
// rust_version; metadata validation; semver parsing, ordering and requirements.
import { describe, expect, it } from 'vitest';
import { renderIndexFile, renderIndexLine, splitFeatures, toIndexDependency } from '../../../src/lib/cargo/index-line.js';
import { parsePublishMetadata } from '../../../src/lib/cargo/metadata.js';
import { compareVersions, isVersionReq, parseVersion, releaseKey } from '../../../src/lib/cargo/semver.js';
import { dep, publishMetadata } from '../../helpers/cargo-frame.js';

const SUM = 'ab'.repeat(32);

describe('index lines', () => {
  it('renders a plain version with the fields cargo reads', () => {
    const line = renderIndexLine('Demo', { vers: '1.0.0', deps: [], cksum: SUM, features: {}, yanked: false, links: null, rust_version: null });
    expect(JSON.parse(line)).toEqual({ name: 'Demo', vers: '1.0.0', deps: [], cksum: SUM, features: {}, yanked: false, links: null });
  });

  it('maps renamed deps to package, keeps registry, target and kind', () => {
    const meta = parsePublishMetadata(publishMetadata('app', '0.1.0', {
      deps: [
        dep({ name: 'real-name', explicit_name_in_toml: 'alias', version_req: '^1.2', features: ['x'], optional: true }),
        dep({ name: 'serde', version_req: '1', registry: 'https://github.com/rust-lang/crates.io-index', kind: 'build' }),
        dep({ name: 'winapi', version_req: '=0.3.9', target: 'cfg(windows)', kind: 'dev' }),
      ],
    }));
    expect(meta.deps.map(toIndexDependency)).toEqual([
      { name: 'alias', req: '^1.2', features: ['x'], optional: true, default_features: true, target: null, kind: 'normal', package: 'real-name' },
      { name: 'serde', req: '1', features: [], optional: false, default_features: true, target: null, kind: 'build', registry: 'https://github.com/rust-lang/crates.io-index' },
      { name: 'winapi', req: '=0.3.9', features: [], optional: false, default_features: true, target: 'cfg(windows)', kind: 'dev' },
    ]);
  });

  it('moves dep: and weak ?/ features to features2 with v: 2', () => {
    const features = { default: ['std'], std: [], tls: ['dep:rustls'], serde: ['time?/serde'] };
    expect(splitFeatures(features)).toEqual({ features: { default: ['std'], std: [] }, features2: { tls: ['dep:rustls'], serde: ['time?/serde'] } });
    const line = JSON.parse(renderIndexLine('x', { vers: '1.0.0', deps: [], cksum: SUM, features, yanked: true, links: 'z', rust_version: '1.70' }));
    expect(line).toMatchObject({ v: 2, features2: { tls: ['dep:rustls'] }, features: { std: [] }, yanked: true, links: 'z', rust_version: '1.70' });
  });

  it('renders one line per version, each ending in a newline', () => {
    const v = { deps: [], cksum: SUM, features: {}, yanked: false, links: null, rust_version: null };
    const file = renderIndexFile('a', [{ ...v, vers: '1.0.0' }, { ...v, vers: '1.1.0' }]);
    expect(file.split('\n')).toHaveLength(3);
    expect(file.endsWith('\n')).toBe(true);
  });
});

describe('publish metadata', () => {
  it.each([
    [{ ...publishMetadata('../x', '1.0.0') }, 'INVALID_CRATE_NAME'],
    [{ ...publishMetadata('nul', '1.0.0') }, 'INVALID_CRATE_NAME'],
    [{ ...publishMetadata('ok', '1.0') }, 'INVALID_VERSION'],
    [{ ...publishMetadata('ok', '01.0.0') }, 'INVALID_VERSION'],
    [{ ...publishMetadata('ok', '1.0.0', { deps: [dep({ name: '../evil' })] }) }, 'INVALID_METADATA'],
    [{ ...publishMetadata('ok', '1.0.0', { deps: [dep({ name: 'x', version_req: 'latest' })] }) }, 'INVALID_METADATA'],
    [{ ...publishMetadata('ok', '1.0.0', { deps: [dep({ name: 'x', kind: 'weird' })] }) }, 'INVALID_METADATA'],
    [{ ...publishMetadata('ok', '1.0.0', { deps: 'nope' }) }, 'INVALID_METADATA'],
    [{ ...publishMetadata('ok', '1.0.0', { features: { a: 'b' } }) }, 'INVALID_METADATA'],
    [[1, 2], 'INVALID_METADATA'],
    [{ ...publishMetadata('ok', '1.0.0', { rust_version: 'latest' }) }, 'INVALID_METADATA'],
    [{ ...publishMetadata('ok', '1.0.0', { links: '../lib' }) }, 'INVALID_METADATA'],
  ])('refuses %j with %s', (raw, code) => {
    expect(() => parsePublishMetadata(raw)).toThrow(expect.objectContaining({ code }));
  });
});

describe('semver', () => {
  it('parses strict semver only', () => {
    expect(parseVersion('1.2.3-alpha.1+build.5')).toEqual({ major: 1, minor: 2, patch: 3, pre: ['alpha', '1'], build: 'build.5' });
    for (const bad of ['1.2', 'v1.2.3', '1.2.3-', '1.02.3', '1.2.3-01', '', '99999999999999999999.0.0']) expect(parseVersion(bad)).toBeUndefined();
  });

  it('orders versions and ignores build metadata for identity', () => {
    const sorted = ['1.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta', '0.9.9', '1.0.0-alpha.beta', '1.0.0-rc.1', '1.0.0-beta.11', '1.0.0-beta.2']
      .sort((a, b) => compareVersions(parseVersion(a)!, parseVersion(b)!));
    expect(sorted).toEqual(['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0']);
    expect(releaseKey('1.0.0+a')).toBe(releaseKey('1.0.0+b'));
  });

  it('checks dependency requirements', () => {
    for (const ok of ['1', '^1.2', '~1.2.3', '=0.3.9', '>=1, <2', '*', '1.*', '0.1.0-alpha.1']) expect(isVersionReq(ok)).toBe(true);
    for (const bad of ['', 'latest', '1.2.3.4', '>= 1 <2', 'git']) expect(isVersionReq(bad)).toBe(false);
  });
});
