// Access control over HTTP (in process): 401 with each protocol's challenge vs 403, the OCI token
// service, Basic and tokens on every format, /api/tokens with revocation on the next request,
// npm login/whoami/logout, listings filtered by pull, brute force → 429 per (user, address), audit lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS, applyAuth, basic, bearer, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { publishBody } from '../../helpers/npm-fixtures.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
let file: string;
const alice = basic('alice', USERS.alice);
const bob = basic('bob', USERS.bob);
// Login throttling reads this clock; it stands still, so no failure is forgiven mid-test however
// slow the machine is.
const now = () => Date.parse('2026-01-01T00:00:00Z');

beforeAll(async () => {
  file = writeHtpasswd();
  t = await buildTestApp({ now, settings: { 'rate_limit.auth_burst': 8 }, mutate: (config) => applyAuth(config, file) });
});
afterAll(async () => t?.close());

async function pushManifestlessBlob(authorization: string, repo: string) {
  return t.app.inject({ method: 'POST', url: `/v2/${repo}/blobs/uploads/`, headers: { authorization } });
}

describe('OCI', () => {
  it('answers the anonymous ping with 401 and a Bearer challenge', async () => {
    const res = await t.app.inject({ url: '/v2/' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="http:\/\/localhost:80\/auth\/token",service="nora"/);
    expect((await t.app.inject({ url: '/v2/', headers: { authorization: alice } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v2/', headers: { authorization: basic('alice', 'wrong') } })).statusCode).toBe(401);
  });

  it('names the scope in the challenge and tells 401 from 403', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/v2/frontend/app/blobs/uploads/' });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['www-authenticate']).toContain('scope="repository:frontend/app:push"');
    expect(JSON.parse(anon.body).errors[0].code).toBe('UNAUTHORIZED');
    const denied = await pushManifestlessBlob(bob, 'frontend/app');
    expect(denied.statusCode).toBe(403);
    expect(JSON.parse(denied.body).errors[0].code).toBe('DENIED');
    expect((await pushManifestlessBlob(alice, 'frontend/app')).statusCode).toBe(202);
  });

  it('issues registry tokens holding the granted part of each scope', async () => {
    const res = await t.app.inject({ url: '/auth/token?service=nora&scope=repository:frontend/app:pull,push&scope=repository:backend/x:pull,push', headers: { authorization: alice } });
    expect(res.statusCode).toBe(200);
    const { token, expires_in } = JSON.parse(res.body);
    expect(expires_in).toBe(300);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims.access).toEqual([
      { type: 'repository', name: 'frontend/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'backend/x', actions: ['pull'] },
    ]);
    expect((await pushManifestlessBlob(bearer(token), 'frontend/app')).statusCode).toBe(202);
    expect((await pushManifestlessBlob(bearer(token), 'backend/x')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v2/', headers: { authorization: bearer(`${token.slice(0, -4)}AAAA`) } })).statusCode).toBe(401);
  });

  // How fast is measured by scripts/bench/auth.mjs; here, that 100 checks of one token all hold.
  it('accepts one registry token for every layer of a 100-layer push', async () => {
    const { token } = JSON.parse((await t.app.inject({ url: '/auth/token?scope=repository:frontend/big:pull,push', headers: { authorization: alice } })).body);
    for (let i = 0; i < 100; i++) {
      const identity = await t.services.auth.authenticate(bearer(token), '127.0.0.1');
      expect(await t.services.authorizer.authorize(identity, [{ action: 'push', format: 'oci', name: 'frontend/big' }])).toBe(true);
    }
  });

  it('shows in _catalog only what the caller may pull', async () => {
    const tok = JSON.parse((await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: alice }, payload: { name: 'narrow', permissions: ['pull:frontend/app', 'push:frontend/app'] } })).body).token;
    await pushManifestlessBlob(alice, 'frontend/other');
    const res = await t.app.inject({ url: '/v2/_catalog', headers: { authorization: bearer(tok) } });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).repositories.every((r: string) => r === 'frontend/app')).toBe(true);
  });
});

describe('API tokens', () => {
  it('creates a token usable as Bearer and as any Basic password, revoked on the next request', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: alice }, payload: { name: 'ci', permissions: ['push:npm:@acme/*', 'pull:*'] } });
    expect(created.statusCode).toBe(201);
    const { token, id } = JSON.parse(created.body);
    expect(token).toMatch(/^nra_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(t.services.store)).not.toContain(token);
    const whoami = await t.app.inject({ url: '/npm/-/whoami', headers: { authorization: bearer(token) } });
    expect(JSON.parse(whoami.body)).toEqual({ username: 'alice' });
    expect((await t.app.inject({ url: '/npm/-/whoami', headers: { authorization: basic('__token__', token) } })).statusCode).toBe(200);
    const list = JSON.parse((await t.app.inject({ url: '/api/tokens', headers: { authorization: alice } })).body);
    expect(list.tokens.map((x: { id: string }) => x.id)).toContain(id);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: { authorization: alice } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/npm/-/whoami', headers: { authorization: bearer(token) } })).statusCode).toBe(401);
  });

  it('refuses permissions beyond the owner\'s', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: bob }, payload: { name: 'x', permissions: ['push:*'] } });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'x' } })).statusCode).toBe(401);
  });
});

describe('npm search', () => {
  it('shows only packages the caller may pull', async () => {
    const admin = basic('admin', USERS.admin);
    for (const name of ['@acme/searchable', 'other-searchable']) {
      const res = await t.app.inject({ method: 'PUT', url: `/npm/${name.replace('/', '%2f')}`, headers: { authorization: admin, 'content-type': 'application/json' }, payload: publishBody(name) });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
    const narrow = JSON.parse((await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: alice }, payload: { name: 'acme-only', permissions: ['pull:npm:@acme/*'] } })).body).token;
    const names = async (authorization: string) => JSON.parse((await t.app.inject({ url: '/npm/-/v1/search?text=searchable', headers: { authorization } })).body).objects.map((o: { package: { name: string } }) => o.package.name);
    expect(await names(alice)).toEqual(['@acme/searchable', 'other-searchable']);
    expect(await names(bearer(narrow))).toEqual(['@acme/searchable']);
  });
});

describe('protocol challenges', () => {
  it('maven and pypi answer anonymous refusals with a Basic challenge; cargo says auth-required', async () => {
    const maven = await t.app.inject({ method: 'PUT', url: '/maven2/com/acme/lib/1.0/lib-1.0.jar', payload: 'x' });
    expect(maven.statusCode).toBe(401);
    expect(maven.headers['www-authenticate']).toMatch(/^Basic /);
    const pypi = await t.app.inject({ url: '/simple/' });
    expect(pypi.statusCode).toBe(401);
    expect(pypi.headers['www-authenticate']).toMatch(/^Basic /);
    expect((await t.app.inject({ url: '/cargo/index/config.json' })).statusCode).toBe(401);
    const config = await t.app.inject({ url: '/cargo/index/config.json', headers: { authorization: alice } });
    expect(JSON.parse(config.body)['auth-required']).toBe(true);
  });
});

describe('npm login', () => {
  it('logs in with an htpasswd user, gets a token, and logs out', async () => {
    const login = await t.app.inject({ method: 'PUT', url: '/npm/-/user/org.couchdb.user:alice', payload: { name: 'alice', password: USERS.alice } });
    expect(login.statusCode).toBe(201);
    const { token } = JSON.parse(login.body);
    expect((await t.app.inject({ url: '/npm/-/whoami', headers: { authorization: bearer(token) } })).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'DELETE', url: `/npm/-/user/token/${token}`, headers: { authorization: bearer(token) } });
    expect(out.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/npm/-/whoami', headers: { authorization: bearer(token) } })).statusCode).toBe(401);
    const wrong = await t.app.inject({ method: 'PUT', url: '/npm/-/user/org.couchdb.user:alice', payload: { name: 'alice', password: 'nope' } });
    expect(wrong.statusCode).toBe(401);
  });
});

describe('brute force and audit', () => {
  it('answers repeated failed logins with 429 and Retry-After in the protocol\'s shape', async () => {
    const wrong = basic('victim', 'guess');
    const statuses: number[] = [];
    const attempt = () => t.app.inject({ url: '/v2/', headers: { authorization: wrong }, remoteAddress: '10.9.9.9' });
    for (let i = 0; i < 10; i++) statuses.push((await attempt()).statusCode);
    const last = await attempt();
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(last.body).errors[0].code).toBe('TOOMANYREQUESTS');
    const npm = await t.app.inject({ url: '/npm/-/whoami', headers: { authorization: wrong }, remoteAddress: '10.9.9.9' });
    expect(npm.statusCode).toBe(429);
    expect(JSON.parse(npm.body).error).toMatch(/too many failed logins/);
  });

  const spread = async (app: TestApp['app']) => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await app.inject({ url: '/npm/-/whoami', headers: { authorization: basic('bob', `guess-${i}`) }, remoteAddress: `10.2.0.${i}` });
      statuses.push(res.statusCode);
    }
    const owner = await app.inject({ url: '/npm/-/whoami', headers: { authorization: bob }, remoteAddress: '10.3.0.1' });
    return { statuses, owner: owner.statusCode };
  };

  it('does not lock a user out at an address that never failed (lockout = "user_address", the default)', async () => {
    expect(await spread(t.app)).toEqual({ statuses: Array(10).fill(401), owner: 200 });
  });

  it('with lockout = "user", locks the user name out from every address', async () => {
    const strict = await buildTestApp({ now, settings: { 'rate_limit.auth_burst': 8, 'rate_limit.lockout': 'user' }, mutate: (config) => applyAuth(config, file) });
    try {
      const { statuses, owner } = await spread(strict.app);
      expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
      expect(statuses.at(-1)).toBe(429);
      expect(owner).toBe(429);
    } finally {
      await strict.close();
    }
  });

  it('writes audit lines for logins, token changes and mutations, with no secret', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/maven2/com/acme/lib/1.0/lib-1.0.jar', payload: 'jar bytes', headers: { authorization: alice }, remoteAddress: '10.1.1.1' });
    expect(put.statusCode).toBe(201);
    // The push event is published before the 201 is sent and the audit line is taken from it
    // synchronously; flush only waits for the file append.
    await t.services.audit.flush();
    const lines = t.services.audit.recent;
    const actions = new Set(lines.map((l) => l.action));
    for (const a of ['login', 'token-create', 'token-revoke']) expect(actions).toContain(a);
    expect(lines.find((l) => l.action === 'login' && l.identity === 'victim')).toMatchObject({ outcome: 'failed', address: '10.9.9.9' });
    expect(lines.find((l) => l.action === 'push' && l.resource === 'maven:com/acme/lib')).toMatchObject({ identity: 'alice', outcome: 'ok', address: '10.1.1.1', request_id: put.headers['x-request-id'] });
    const text = JSON.stringify(lines);
    for (const secret of Object.values(USERS)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/nra_[A-Za-z0-9_-]{20}/);
  });
});
