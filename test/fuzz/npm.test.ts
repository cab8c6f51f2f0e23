// Fuzz /npm: hostile package names and paths (scoped, encoded, traversal), publish bodies that
// lie (integrity, names), are truncated, garbage or nested deep, packument edits that cannot
// apply, dist-tags and unpublishes that name nothing, logins with wrong passwords, hostile search
// parameters; and valid publishes by callers without push. See helpers/fuzz-run.ts.
import { createHash } from 'node:crypto';
import { publishBody } from '../helpers/npm-fixtures.js';
import { fuzzProtocol, type FuzzCase } from './helpers/fuzz-run.js';
import { deepJson, hostileBody, hostileContentType, hostileHeaders, hostileName, hostileNumberText, hostileSegment, invalidName, invalidSegment, safeEncode } from './helpers/hostile.js';
import type { Prng } from './helpers/prng.js';

interface Seeded { name: string; version: string; body: Record<string, any> }

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const anyName = (rng: Prng) => rng.oneOf(() => hostileName(rng, 'pkg'), () => `@${hostileSegment(rng)}%2f${hostileSegment(rng)}`, () => `@scope/${hostileSegment(rng)}`, () => 'seed-pkg');

/** A publish body whose tarball does not match its declared integrity (or is not there at all). */
function lyingPublish(rng: Prng, name: string, version: string): Record<string, any> {
  const body = publishBody(name, { version });
  const dist = body.versions[version].dist as Record<string, unknown>;
  const attachment = Object.values(body._attachments as Record<string, Record<string, unknown>>)[0]!;
  rng.oneOf(
    () => { dist.integrity = `sha512-${createHash('sha512').update(rng.bytes(16)).digest('base64')}`; },
    () => { dist.shasum = rng.hex(40); dist.integrity = `sha512-${rng.hex(20)}`; },
    () => { attachment.data = rng.pick(['', '!!!!', '====', 'A'.repeat(rng.int(1, 200_000)), Buffer.from(rng.bytes(300)).toString('base64')]); dist.integrity = `sha512-${createHash('sha512').update('other').digest('base64')}`; },
    () => { attachment.length = rng.pick([-1, Infinity, 2 ** 53, '10', null]); dist.integrity = 'sha512-x'; },
    () => { body.name = `${name}-other`; body._id = body.name; },
    () => { body.versions = rng.pick([null, [], 'x', { [version]: null }]); },
    // Without usable attachments the body reads as a packument edit: one naming a version that does not exist.
    () => { body._attachments = rng.pick([null, [], { '../../evil.tgz': attachment }, { [`${name}-${version}.tgz`]: { data: 5 } }]); dist.integrity = 'sha512-wrong'; body.versions['0.0.0-never-published'] = {}; },
  );
  return body;
}

function generate(rng: Prng, s: Seeded): FuzzCase {
  const c: FuzzCase = rng.oneOf<FuzzCase>(
    // Reads and deletes of hostile paths, by anyone.
    () => ({ as: rng.pick(['writer', 'reader', 'anonymous', 'forged'] as const), method: rng.pick(['GET', 'HEAD']), path: `/npm/${anyName(rng)}${rng.pick(['', '/', `/${hostileSegment(rng)}`, `/-/${hostileSegment(rng)}.tgz`, `/-/${invalidSegment(rng)}`])}` }),
    () => ({ as: 'writer', method: 'DELETE', path: `/npm/${rng.chance(0.5) ? s.name : invalidName(rng, 'pkg')}/${rng.pick(['-rev/', `-/${s.name}-${s.version}.tgz/-rev/`, '', '-/x.tgz/-rev/'])}${rng.pick(['1-' + rng.hex(32), hostileSegment(rng), '999999999999999999999-' + rng.hex(64)])}` }),
    // Publishes that lie, as the writer, to the seeded name or any name.
    () => {
      const name = rng.chance(0.5) ? s.name : rng.pick(['new-pkg', 'PWNED', '@scope/new', '-', '~x', 'a'.repeat(300), 'node_modules', 'favicon.ico']);
      const version = rng.pick([s.version, '2.0.0', '0.0.0-x', '1.0', 'v1.0.0', '99999999999999999999.0.0', '1.0.0+build']);
      return { as: 'writer', method: 'PUT', path: `/npm/${safeEncode(name).replace('%40', '@')}`, headers: { 'content-type': 'application/json' }, body: json(lyingPublish(rng, name, version)) };
    },
    // Bodies that are not JSON, or JSON nested deep, or cut off.
    () => ({ as: 'writer', method: 'PUT', path: `/npm/${rng.chance(0.6) ? s.name : anyNameInvalid(rng)}`, headers: { 'content-type': rng.chance(0.7) ? 'application/json' : hostileContentType(rng) }, body: rng.chance(0.3) ? Buffer.from(`{"name":"${s.name}","versions":${deepJson(rng)}}`) : hostileBody(rng, json(s.body)) }),
    // Packument edits that cannot apply: unknown versions, wrong name, wrong revision.
    () => ({ as: 'writer', method: 'PUT', path: `/npm/${s.name}${rng.chance(0.4) ? `/-rev/1-${rng.hex(32)}` : ''}`, headers: { 'content-type': 'application/json' }, body: json(rng.oneOf(
      () => ({ name: s.name, versions: { [s.version]: {}, '9.9.9-fuzz': { deprecated: 'x' } } }),
      () => ({ name: `${s.name}x`, versions: { [s.version]: { deprecated: hostileSegment(rng) } } }),
      () => ({ name: s.name, versions: rng.pick<unknown>([null, [], 'x', 5]) }),
      () => ({ name: s.name, versions: {} }),
    )) }),
    // dist-tags that name nothing or are not tags.
    () => ({ as: 'writer', method: 'PUT', path: `/npm/-/package/${rng.chance(0.7) ? s.name : anyNameInvalid(rng)}/dist-tags/${rng.chance(0.5) ? 'beta' : hostileSegment(rng)}`, headers: { 'content-type': 'application/json' }, body: rng.chance(0.7) ? json(rng.pick(['9.9.9', '', null, 5, ['1.0.0'], '../1.0.0', 'x'.repeat(5000)])) : hostileBody(rng) }),
    () => ({ as: 'writer', method: 'DELETE', path: `/npm/-/package/${s.name}/dist-tags/${rng.chance(0.3) ? 'latest' : `${invalidSegment(rng)}`}` }),
    // Logins that fail, logouts of tokens nobody has.
    () => ({ as: 'anonymous', method: 'PUT', path: `/npm/-/user/org.couchdb.user:${rng.chance(0.5) ? 'writer' : safeEncode(hostileSegment(rng).slice(0, 300))}`, headers: { 'content-type': 'application/json' }, body: rng.chance(0.7) ? json({ name: rng.pick(['writer', 'reader', hostileSegment(rng).slice(0, 300)]), password: rng.pick([rng.hex(12), '', 'x'.repeat(100_000)]) }) : hostileBody(rng) }),
    () => ({ as: rng.pick(['writer', 'anonymous', 'forged'] as const), method: 'DELETE', path: `/npm/-/user/token/${rng.chance(0.5) ? `nora_${rng.hex(40)}` : safeEncode(hostileSegment(rng).slice(0, 500))}` }),
    // Search and audit with hostile parameters and bodies.
    () => ({ as: rng.pick(['writer', 'reader'] as const), method: 'GET', path: `/npm/-/v1/search?text=${safeEncode(hostileSegment(rng).slice(0, 2000))}&size=${hostileNumberText(rng)}&from=${hostileNumberText(rng)}` }),
    () => ({ as: 'reader', method: 'POST', path: `/npm/-/npm/v1/security/${rng.pick(['advisories/bulk', 'audits/quick'])}`, headers: { 'content-type': hostileContentType(rng), ...(rng.chance(0.3) ? { 'content-encoding': 'gzip' } : {}) }, body: hostileBody(rng) }),
    // Valid publishes, edits and tags by callers without push.
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'PUT', path: `/npm/${rng.chance(0.5) ? s.name : 'stolen-pkg'}`, headers: { 'content-type': 'application/json' }, body: json(publishBody(rng.chance(0.5) ? s.name : 'stolen-pkg', { version: '3.0.0' })) }),
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'PUT', path: `/npm/-/package/${s.name}/dist-tags/stolen`, headers: { 'content-type': 'application/json' }, body: json(s.version) }),
  );
  if (rng.chance(0.15)) c.headers = { ...c.headers, ...hostileHeaders(rng) };
  return c;
}

/** A package name surely invalid, in one of npm's path spellings. */
function anyNameInvalid(rng: Prng): string {
  return rng.chance(0.5) ? invalidName(rng, 'pkg') : `@${invalidSegment(rng)}%2f${hostileSegment(rng).slice(0, 100)}`;
}

fuzzProtocol<Seeded>('npm', {
  async seed({ url, writer }) {
    const body = publishBody('seed-pkg', { version: '1.0.0' });
    const response = await fetch(`${url}/npm/seed-pkg`, { method: 'PUT', headers: { authorization: writer, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`seed publish: ${response.status} ${await response.text()}`);
    return { name: 'seed-pkg', version: '1.0.0', body };
  },
  generate,
  known: [{
    log: /"type":"SyntaxError".*at readStreamedBody/,
    note: 'npm publish parser (src/lib/npm/publish-stream.ts): a key or integrity string with a raw control character or a bad escape makes its JSON.parse throw, answered 500 (issue 13 item 2, the parser rewrite)',
  }],
});
