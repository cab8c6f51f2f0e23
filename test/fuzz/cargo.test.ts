// Fuzz /cargo: publish frames whose lengths lie or are cut off, metadata that is not JSON, is
// nested deep or breaks the naming and version rules, .crate archives that are not gzip, leave
// their directory or lack Cargo.toml, republishes and renames, hostile index paths, yanks and
// owner changes that name nothing; and valid publishes by callers without push.
import { crateTarball, tarGz } from '../helpers/crate-tarball.js';
import { fakeCrate, frame, publishMetadata } from '../helpers/cargo-frame.js';
import { fuzzProtocol, type FuzzCase } from './helpers/fuzz-run.js';
import { deepJson, hostileBody, hostileHeaders, hostileName, hostileNumber, hostileNumberText, hostileSegment, invalidSegment, safeEncode } from './helpers/hostile.js';
import type { Prng } from './helpers/prng.js';

interface Seeded { name: string; version: string }

const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };

/** A .crate for `name@vers` that must be refused. */
function badCrate(rng: Prng, name: string, vers: string): Buffer {
  const root = `${name}-${vers}`;
  return rng.oneOf(
    () => rng.bytes(rng.int(0, 2000)),
    () => tarGz([{ path: `${root}/src/lib.rs`, data: '' }]),
    () => tarGz([{ path: `${root}/Cargo.toml`, data: '' }, { path: `${root}/../../evil`, data: 'x' }]),
    () => tarGz([{ path: `${root}/Cargo.toml`, data: '' }, { path: '/etc/passwd', data: 'x' }]),
    () => tarGz([{ path: `${root}/Cargo.toml`, data: '' }, { path: `${root}/link`, type: '2', link: '../../../etc/passwd' }]),
    () => tarGz([{ path: `other-${vers}/Cargo.toml`, data: '' }]),
    () => crateTarball(name, vers, { 'Cargo.toml': '' }).subarray(0, rng.int(10, 60)),
  );
}

function publishBody(rng: Prng, s: Seeded): Buffer {
  return rng.oneOf(
    // A new version whose .crate is bad.
    () => frame(publishMetadata(s.name, '2.0.0'), badCrate(rng, s.name, '2.0.0')),
    // The published version again, or the crate under another spelling.
    () => frame(publishMetadata(s.name, s.version), fakeCrate(s.name, s.version)),
    () => frame(publishMetadata(s.name.replace('-', '_').toUpperCase(), '3.0.0'), fakeCrate(s.name.replace('-', '_').toUpperCase(), '3.0.0')),
    // Names and versions the rules forbid; dependencies on crates that are not here.
    () => { const name = rng.pick(['nul', 'con', 'std', '1abc', '-x', 'a'.repeat(65), 'caf\u00e9', 'a b', '', invalidSegment(rng)]); return frame(publishMetadata(name, '1.0.0'), fakeCrate('x', '1.0.0')); },
    () => { const vers = rng.pick(['1.0', 'v1.0.0', '1.0.0.0', '01.0.0', '1.0.0-', '', '99999999999999999999.0.0', hostileSegment(rng)]); return frame(publishMetadata('fuzz-new', vers), fakeCrate('fuzz-new', '1.0.0')); },
    () => frame(publishMetadata('fuzz-deps', '1.0.0', { deps: [{ name: rng.pick(['missing-crate', invalidSegment(rng)]), version_req: rng.pick(['^1', '>>1', '']), features: [], optional: false, default_features: true, target: null, kind: rng.pick(['normal', 'evil']) }] }), fakeCrate('fuzz-deps', '1.0.0')),
    () => frame(publishMetadata('fuzz-types', '1.0.0', rng.pick([{ deps: 'x' }, { features: { a: [5] } }, { name: 5 }, { vers: hostileNumber(rng) }, { links: { a: 1 } }])), fakeCrate('fuzz-types', '1.0.0')),
    // Metadata that is not JSON, or nested deep.
    () => frame(rng.chance(0.5) ? deepJson(rng) : hostileBody(rng).toString('latin1'), fakeCrate('fuzz-json', '1.0.0')),
    // Frames whose lengths lie, or that stop early.
    () => { const json = Buffer.from(JSON.stringify(publishMetadata('fuzz-frame', '1.0.0'))); return Buffer.concat([u32(rng.pick([0, json.length + 1, 0xffffffff, 2 ** 31])), json, u32(5), Buffer.from('abc')]); },
    () => frame(publishMetadata('fuzz-frame', '1.0.0'), fakeCrate('fuzz-frame', '1.0.0')).subarray(0, rng.int(0, 100)),
    () => { const good = frame(publishMetadata('fuzz-frame', '1.0.0'), Buffer.alloc(0)); return Buffer.concat([good.subarray(0, good.length - 4), u32(rng.pick([1, 0xffffffff, 1 << 30]))]); },
  );
}

function generate(rng: Prng, s: Seeded): FuzzCase {
  const api = '/cargo/api/v1/crates';
  const c: FuzzCase = rng.oneOf<FuzzCase>(
    () => ({ as: 'writer', method: 'PUT', path: `${api}/new`, ...(rng.chance(0.3) ? { headers: { 'content-type': 'application/json' } } : {}), body: publishBody(rng, s) }),
    // Index files, downloads and owner lists of hostile names, by anyone.
    () => ({ as: rng.pick(['writer', 'reader', 'anonymous', 'forged'] as const), method: 'GET', path: rng.pick([`/cargo/index/${hostileName(rng, 'se')}`, `${api}/${hostileSegment(rng)}/${hostileSegment(rng)}/download`, `${api}/${hostileSegment(rng)}/owners`, `/cargo/index/${rng.pick(['1', '2', '3/a', 'se/ed'])}/${hostileSegment(rng)}`]) }),
    // Yanks and unyanks of versions that do not exist.
    () => ({ as: 'writer', method: rng.pick(['DELETE', 'PUT']), path: `${api}/${rng.chance(0.6) ? s.name : safeEncode(invalidSegment(rng))}/${rng.chance(0.5) ? '9.9.9' : safeEncode(hostileSegment(rng))}/${rng.pick(['yank', 'unyank'])}` }),
    // Owner changes that are not a list of logins, or that would leave no owner.
    () => ({ as: 'writer', method: rng.pick(['PUT', 'DELETE']), path: `${api}/${rng.chance(0.7) ? s.name : safeEncode(invalidSegment(rng))}/owners`, body: rng.oneOf(() => Buffer.from(JSON.stringify({ users: rng.pick(['writer', 5, null, {}, [5], [[]], [null]]) })), () => hostileBody(rng), () => Buffer.from(deepJson(rng))) }),
    () => ({ as: 'writer', method: 'DELETE', path: `${api}/${s.name}/owners`, body: Buffer.from(JSON.stringify({ users: ['writer'] })) }),
    // Search with hostile parameters.
    () => ({ as: 'reader', method: 'GET', path: `${api}?q=${safeEncode(hostileSegment(rng).slice(0, 2000))}&per_page=${hostileNumberText(rng)}` }),
    // Valid publishes and yanks by callers without the right.
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'PUT', path: `${api}/new`, body: frame(publishMetadata(s.name, '4.0.0'), fakeCrate(s.name, '4.0.0')) }),
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'DELETE', path: `${api}/${s.name}/${s.version}/yank` }),
  );
  if (rng.chance(0.15)) c.headers = { ...c.headers, ...hostileHeaders(rng) };
  return c;
}

fuzzProtocol<Seeded>('cargo', {
  async seed({ url, writer }) {
    const response = await fetch(`${url}/cargo/api/v1/crates/new`, { method: 'PUT', headers: { authorization: writer }, body: frame(publishMetadata('seed-crate', '1.0.0'), fakeCrate('seed-crate', '1.0.0')) });
    if (response.status !== 200) throw new Error(`seed publish: ${response.status} ${await response.text()}`);
    return { name: 'seed-crate', version: '1.0.0' };
  },
  generate,
});
