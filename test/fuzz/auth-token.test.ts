// Fuzz the token endpoints: /auth/token with hostile scopes (globs, colons, traversal, huge and
// many scopes, unknown types and actions) by every kind of caller, each issued token then used
// for a push it must not allow and a read; /auth/oidc/token with forged ID tokens; /api/tokens
// with bodies that are not token requests and ids that name nothing. See helpers/fuzz-run.ts.
import { fetchHttp, OCI_MANIFEST, pushImage } from '../helpers/oci-client.js';
import { fuzzProtocol, type FuzzCase } from './helpers/fuzz-run.js';
import { deepJson, forgedAuthorization, hostileBody, hostileContentType, hostileHeaders, hostileName, hostileSegment, invalidSegment, safeEncode } from './helpers/hostile.js';
import type { Prng } from './helpers/prng.js';

interface Seeded { manifest: Buffer }

function scope(rng: Prng): string {
  const name = rng.oneOf(() => 'seed/app', () => rng.pick(['seed/**', 'seed/*', '**', '*', 'seed/{app,other}', 'seed/[a-z]pp', 'seed/app?', 'seed/app:x', 'a:b:c', 'seed/app/../x', '']), () => hostileName(rng, 'seed'));
  const actions = rng.pick(['pull', 'push', 'pull,push', '*', 'delete', 'admin', 'pull,,push', '', 'push,' + 'x'.repeat(1000)]);
  const type = rng.pick(['repository', 'repository', 'registry', 'repository(plugin)', '', hostileSegment(rng).slice(0, 50)]);
  return `${type}:${name}:${actions}`;
}

/** Uses the token an answer carries, if any: a push the caller may not make, or a read. */
function withIssuedToken(rng: Prng, s: Seeded) {
  return (answer: { body: string }): FuzzCase | undefined => {
    let token: unknown;
    try { token = (JSON.parse(answer.body) as { token?: unknown }).token; } catch { return undefined; }
    if (typeof token !== 'string') return undefined;
    const headers = { authorization: `Bearer ${token}` };
    return rng.oneOf<FuzzCase>(
      () => ({ as: 'anonymous', method: 'PUT', path: `/v2/seed/${rng.pick(['app', 'x/y', 'other'])}/manifests/stolen`, headers: { ...headers, 'content-type': OCI_MANIFEST }, body: s.manifest }),
      () => ({ as: 'anonymous', method: 'POST', path: '/v2/seed/app/blobs/uploads/', headers }),
      () => ({ as: 'anonymous', method: 'GET', path: rng.pick(['/v2/seed/app/tags/list', '/v2/_catalog', '/v2/', '/api/tokens']), headers }),
    );
  };
}

function generate(rng: Prng, s: Seeded): FuzzCase {
  const c: FuzzCase = rng.oneOf<FuzzCase>(
    // Token requests: the writer's must not end in a write (the follow-up is a read); the others' may try to write.
    () => {
      const as = rng.pick(['reader', 'anonymous', 'forged'] as const);
      const scopes = Array.from({ length: rng.chance(0.1) ? rng.int(50, 300) : rng.int(1, 3) }, () => `scope=${safeEncode(scope(rng))}`).join('&');
      return { as, method: 'GET', path: `/auth/token?service=${rng.pick(['nora', '', 'other', safeEncode(hostileSegment(rng).slice(0, 200))])}&${scopes}`, then: withIssuedToken(rng, s) };
    },
    () => ({ as: 'writer', method: 'GET', path: `/auth/token?service=nora&scope=${safeEncode(scope(rng))}`, then: (answer) => { const next = withIssuedToken(rng, s)(answer); return next && next.method === 'GET' ? next : undefined; } }),
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: rng.pick(['POST', 'PUT', 'DELETE']), path: '/auth/token', headers: { 'content-type': rng.pick(['application/x-www-form-urlencoded', hostileContentType(rng)]) }, body: rng.chance(0.5) ? Buffer.from(`grant_type=${rng.pick(['password', 'refresh_token', 'x'])}&username=writer&password=${rng.hex(8)}&scope=${safeEncode(scope(rng))}`) : hostileBody(rng) }),
    // OIDC exchange with ID tokens nobody issued.
    () => ({ as: 'anonymous', method: 'POST', path: '/auth/oidc/token', headers: { 'content-type': 'application/json', ...(rng.chance(0.3) ? { authorization: forgedAuthorization(rng) } : {}) }, body: rng.oneOf(() => Buffer.from(JSON.stringify({ token: forgedAuthorization(rng).replace(/^\S+ /, '') })), () => hostileBody(rng), () => Buffer.from(JSON.stringify({ token: rng.pick([5, null, {}, ['x'], 'a.b.c', 'x'.repeat(100_000)]) }))) }),
    // API token requests that are not valid, and revocations of ids that are not there.
    () => ({ as: rng.pick(['writer', 'reader'] as const), method: 'POST', path: '/api/tokens', headers: { 'content-type': rng.chance(0.8) ? 'application/json' : hostileContentType(rng) }, body: rng.oneOf(
      () => Buffer.from(JSON.stringify({ name: rng.pick<unknown>(['', 'a b', 'x'.repeat(65), 'caf\u00e9', 'a/b', '<x>', `${invalidSegment(rng)}/`, 5, null]), permissions: ['pull:**'] })),
      () => Buffer.from(JSON.stringify({ name: 'fuzz', permissions: rng.pick(['pull:**', [5], [null], {}, 'x']) })),
      () => Buffer.from(JSON.stringify({ name: 'fuzz', expires_in: rng.pick([-1, 1.5, '10', 1e308, null, {}]) })),
      () => Buffer.from(deepJson(rng)),
      () => Buffer.from(rng.pick(['{"name":', '', 'null', '[]', '"fuzz"', '{"name":"fuzz","name":5}'])),
    ) }),
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'POST', path: '/api/tokens', headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ name: 'escalate', permissions: ['admin:**'] })) }),
    () => ({ as: rng.pick(['writer', 'reader', 'anonymous', 'forged'] as const), method: rng.pick(['DELETE', 'GET']), path: `/api/tokens${rng.chance(0.8) ? `/${safeEncode(hostileSegment(rng).slice(0, 500))}` : `?all=${safeEncode(hostileSegment(rng).slice(0, 100))}`}` }),
  );
  if (rng.chance(0.15)) c.headers = { ...c.headers, ...hostileHeaders(rng) };
  return c;
}

fuzzProtocol<Seeded>('auth-token', {
  async seed({ url, writer }) {
    const plain = fetchHttp(url);
    const image = await pushImage((method, path, options = {}) => plain(method, path, { ...options, headers: { authorization: writer, ...options.headers } }), 'seed/app', '1.0');
    return { manifest: image.manifest };
  },
  generate,
});
