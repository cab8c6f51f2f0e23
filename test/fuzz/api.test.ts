// Fuzz the management API (/api): listings with hostile types, globs (picomatch) and flags,
// deletes and tags whose references are malformed or name nothing, gc with hostile settings,
// hostile paths; and valid deletes, tags and gc runs by callers without admin.
import { publishBody } from '../helpers/npm-fixtures.js';
import { fetchHttp, pushImage } from '../helpers/oci-client.js';
import { fuzzProtocol, type FuzzCase } from './helpers/fuzz-run.js';
import { deepJson, hostileBody, hostileContentType, hostileHeaders, hostileName, hostileNumber, hostileSegment, invalidName, invalidSegment, safeEncode } from './helpers/hostile.js';
import type { Prng } from './helpers/prng.js';

const VALID_REFS = ['seed/app:1.0', 'oci:seed/app:1.0', 'npm:seed-pkg@1.0.0'];
const TYPES = ['oci', 'npm', 'maven', 'cargo', 'pypi'];

/** A reference that is malformed or names nothing stored. */
function badRef(rng: Prng): string {
  return rng.oneOf(
    () => `${rng.pick([...TYPES, '', 'x', 'OCI'])}:${invalidName(rng, 'seed')}${rng.pick([':1.0', '@1.0.0', '@sha256:' + rng.hex(64), ''])}`,
    () => `seed/app:${invalidSegment(rng)}`,
    () => `seed/app@${rng.pick(['sha256:' + rng.hex(64), 'sha256:zz', 'md5:' + rng.hex(32)])}`,
    () => `npm:seed-pkg@${rng.pick(['9.9.9', invalidSegment(rng)])}`,
    () => `${rng.pick(TYPES)}:${hostileSegment(rng).slice(0, 2000)}@@${hostileSegment(rng).slice(0, 100)}`,
    () => rng.pick(['', ':', '@', 'oci:', 'npm:@', 'maven:a:b', 'maven:a:b@', 'cargo:@1', 'pypi:x@', `maven:${'a.'.repeat(500)}:b@1`]),
  );
}

const glob = (rng: Prng) => rng.pick(['**/**/**/**/**/**/**/**/**/**/**/**/**/x', '*'.repeat(200) + '!', '{a,{b,{c,{d,{e}}}}}'.repeat(20), '+(a|aa)+$', '[', '\\', '!(', '@(a|b', 'a'.repeat(5000), hostileSegment(rng).slice(0, 3000), '?(*)'.repeat(100)]);

function generate(rng: Prng): FuzzCase {
  const c: FuzzCase = rng.oneOf<FuzzCase>(
    () => ({ as: rng.pick(['writer', 'reader', 'anonymous', 'forged'] as const), method: 'GET', path: `/api/artifacts?type=${rng.chance(0.5) ? rng.pick(TYPES) : safeEncode(hostileSegment(rng).slice(0, 300))}&glob=${safeEncode(glob(rng))}${rng.chance(0.3) ? `&pulls=${safeEncode(hostileSegment(rng).slice(0, 50))}` : ''}` }),
    () => ({ as: 'writer', method: 'DELETE', path: `/api/artifacts?ref=${safeEncode(badRef(rng))}${rng.chance(0.3) ? `&dry_run=${rng.pick(['1', 'true', 'yes', ''])}` : ''}` }),
    () => ({ as: 'writer', method: 'POST', path: '/api/tags', headers: { 'content-type': rng.chance(0.8) ? 'application/json' : hostileContentType(rng) }, body: rng.oneOf(
      () => Buffer.from(JSON.stringify({ source: rng.pick(VALID_REFS.slice(0, 2)), target: `seed/app:${rng.pick(['-x', '.x', 'a'.repeat(129), 'x y', 'x/y:z'])}` })),
      () => Buffer.from(JSON.stringify({ source: badRef(rng), target: rng.pick(['seed/app:fuzzed', `${invalidName(rng)}:x`]) })),
      () => Buffer.from(JSON.stringify({ source: hostileNumber(rng), target: [] })),
      () => Buffer.from(deepJson(rng)),
      () => hostileBody(rng),
    ) }),
    () => ({ as: 'writer', method: 'POST', path: '/api/gc', headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ dry_run: rng.pick<unknown>([true, false, 'yes', null]), grace: rng.pick<unknown>(['-1s', 'soon', '', '1e309d', 'P1D', {}, [], -5, true, `${'9'.repeat(30)}d`]) })) }),
    () => ({ as: rng.pick(['writer', 'reader', 'anonymous', 'forged'] as const), method: rng.pick(['GET', 'PUT', 'PATCH', 'DELETE', 'POST']), path: `/api/${hostileName(rng, 'artifacts')}`, body: hostileBody(rng) }),
    // Valid changes by callers without admin.
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'DELETE', path: `/api/artifacts?ref=${safeEncode(rng.pick(VALID_REFS))}` }),
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'POST', path: '/api/tags', headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ source: 'seed/app:1.0', target: 'seed/app:stolen' })) }),
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'POST', path: '/api/gc', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"grace":"0s"}') }),
  );
  if (rng.chance(0.15)) c.headers = { ...c.headers, ...hostileHeaders(rng) };
  return c;
}

fuzzProtocol('api', {
  async seed({ url, writer }) {
    const plain = fetchHttp(url);
    await pushImage((method, path, options = {}) => plain(method, path, { ...options, headers: { authorization: writer, ...options.headers } }), 'seed/app', '1.0');
    const response = await fetch(`${url}/npm/seed-pkg`, { method: 'PUT', headers: { authorization: writer, 'content-type': 'application/json' }, body: JSON.stringify(publishBody('seed-pkg')) });
    if (response.status !== 201) throw new Error(`seed publish: ${response.status}`);
    return undefined;
  },
  generate,
});
