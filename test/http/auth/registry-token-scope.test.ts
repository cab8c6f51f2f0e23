// Registry tokens never widen what the caller holds (issue 13 item 1): /auth/token grants only
// literal, valid repository names; a JWT's access claims are compared as literal names (a glob
// in a key-signed JWT widens nothing) and a malformed entry never answers 500; tokens created
// from a token cannot turn a name into a glob (`|`, braces) either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryAccess } from '../../../src/lib/auth/registry-keys.js';
import { USERS, applyAuth, basic, bearer, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { TestIssuer } from '../../helpers/oidc-issuer.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
const issuer = new TestIssuer();
const alice = basic('alice', USERS.alice);
let ciToken = '';
let narrowToken = '';

beforeAll(async () => {
  await issuer.start();
  await issuer.addKey('k1', 'ES256');
  const file = writeHtpasswd();
  t = await buildTestApp({
    oidcCooldownMs: 0,
    mutate: (config) => applyAuth(config, file, {
      oidc: {
        exchange_ttl: 900_000,
        providers: [{ name: 'github', issuer: issuer.url, audience: 'nora', rules: [
          { match: { repository: 'acme/*' }, permissions: ['push:oci:acme/*', 'pull:oci:acme/*'] },
        ] }],
      },
    }),
  });
  const exchanged = await t.app.inject({ method: 'POST', url: '/auth/oidc/token', payload: { token: await issuer.sign({ sub: 'repo:acme/app', repository: 'acme/app' }) } });
  ciToken = JSON.parse(exchanged.body).token;
  const created = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: alice }, payload: { name: 'narrow', permissions: ['push:oci:frontend/*', 'pull:oci:frontend/*'] } });
  narrowToken = JSON.parse(created.body).token;
});
afterAll(async () => {
  await t?.close();
  await issuer.stop();
});

async function registryToken(authorization: string, ...scopes: string[]): Promise<{ token: string; access: RegistryAccess[] }> {
  const query = scopes.map((s) => `scope=${encodeURIComponent(s)}`).join('&');
  const res = await t.app.inject({ url: `/auth/token?service=nora&${query}`, headers: { authorization } });
  expect(res.statusCode, res.body).toBe(200);
  const { token } = JSON.parse(res.body) as { token: string };
  return { token, access: JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).access };
}

const startUpload = (authorization: string, repo: string) => t.app.inject({ method: 'POST', url: `/v2/${repo}/blobs/uploads/`, headers: { authorization } });

describe('/auth/token grants literal repository names only', () => {
  it('does not turn an OIDC token\'s acme/* into a JWT for acme/**', async () => {
    const { token, access } = await registryToken(basic('oidc', ciToken), 'repository:acme/**:pull,push');
    expect(access).toEqual([]);
    const refused = await startUpload(bearer(token), 'acme/x/y');
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(refused.body).errors[0].code).toBe('DENIED');
    // The name the token does cover still works.
    const own = await registryToken(basic('oidc', ciToken), 'repository:acme/app:pull,push');
    expect(own.access).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull', 'push'] }]);
    expect((await startUpload(bearer(own.token), 'acme/app')).statusCode).toBe(202);
  });

  it('does not turn an API token\'s frontend/* into a JWT for frontend/** (the owner holds frontend/**)', async () => {
    const { token, access } = await registryToken(basic('ci', narrowToken), 'repository:frontend/**:push');
    expect(access).toEqual([]);
    expect((await startUpload(bearer(token), 'frontend/x/y')).statusCode).toBe(403);
  });

  it.each([
    'frontend/*', 'frontend/ap?', 'frontend/{app,other}', 'frontend/[a]pp', 'frontend/a:b', 'frontend/app|backend/x', 'Frontend/App', 'frontend//app', '',
  ])('grants nothing for the scope name %j, and the JWT answers later requests without a 500', async (name) => {
    const { token, access } = await registryToken(alice, `repository:${name}:pull,push`, 'repository:frontend/app:pull');
    expect(access).toEqual([{ type: 'repository', name: 'frontend/app', actions: ['pull'] }]);
    for (const repo of ['frontend/app', 'frontend/a', 'backend/x']) {
      const res = await startUpload(bearer(token), repo);
      expect(res.statusCode).toBe(403);
    }
    expect((await t.app.inject({ url: '/v2/frontend/app/tags/list', headers: { authorization: bearer(token) } })).statusCode).toBe(404);
  });
});

describe('a registry JWT\'s access claims are literal names', () => {
  const sign = (access: unknown, subject = 'alice') => t.services.auth.keys.sign(subject, access as RegistryAccess[], 60_000, 'nora');

  it('a key-signed JWT naming a glob widens nothing', async () => {
    const jwt = await sign([{ type: 'repository', name: 'frontend/**', actions: ['push'] }, { type: 'repository', name: 'acme/*', actions: ['*'] }]);
    expect((await startUpload(bearer(jwt), 'frontend/x/y')).statusCode).toBe(403);
    expect((await startUpload(bearer(jwt), 'frontend/app')).statusCode).toBe(403);
    const oidcJwt = await sign([{ type: 'repository', name: 'acme/**', actions: ['push'] }], 'oidc:github:repo:acme/app');
    expect((await startUpload(bearer(oidcJwt), 'acme/x/y')).statusCode).toBe(403);
  });

  it.each([
    ['a name with ":"', [{ type: 'repository', name: 'frontend/a:b', actions: ['push'] }]],
    ['a name that is not a string', [{ type: 'repository', name: 42, actions: ['push'] }]],
    ['actions that are not a list', [{ type: 'repository', name: 'frontend/app', actions: 'push' }]],
    ['unknown actions', [{ type: 'repository', name: 'frontend/app', actions: ['admin', 7, null] }]],
    ['a null entry', [null]],
    ['access that is not a list', { type: 'repository', name: 'frontend/app', actions: ['push'] }],
  ])('%s never answers 500', async (_label, access) => {
    const jwt = await sign(access);
    expect((await t.app.inject({ url: '/v2/', headers: { authorization: bearer(jwt) } })).statusCode).toBe(200);
    const res = await startUpload(bearer(jwt), 'frontend/app');
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body).errors[0].code).toBe('DENIED');
  });

  it('a literal entry still grants exactly its name', async () => {
    const jwt = await sign([{ type: 'repository', name: 'frontend/app', actions: ['push'] }]);
    expect((await startUpload(bearer(jwt), 'frontend/app')).statusCode).toBe(202);
    expect((await startUpload(bearer(jwt), 'frontend/app2')).statusCode).toBe(403);
  });
});

describe('tokens created from tokens', () => {
  const create = (authorization: string, permissions: string[], expires_in?: number) =>
    t.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization }, payload: { name: 'derived', permissions, ...(expires_in !== undefined ? { expires_in } : {}) } });

  it.each([
    ['push:oci:acme/x|victim'], ['push:oci:acme/{x,victim}'], ['push:oci:acme/@(x|*)'], ['push:oci:acme/**'], ['push:oci:acme/x\\*'],
  ])('an OIDC token holding acme/* cannot create a token for %s', async (permission) => {
    const res = await create(bearer(ciToken), [permission]);
    expect(res.statusCode, res.body).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('DENIED');
  });

  it('an OIDC token may still narrow itself to a literal name or a one-segment glob', async () => {
    expect((await create(bearer(ciToken), ['push:oci:acme/app'])).statusCode).toBe(201);
    expect((await create(bearer(ciToken), ['pull:oci:acme/*'])).statusCode).toBe(201);
  });

  it('a token made by a 15-minute OIDC token expires with it, even when asked to never expire', async () => {
    for (const expiresIn of [0, 90 * 86_400]) {
      const res = await create(bearer(ciToken), ['push:oci:acme/app'], expiresIn);
      expect(res.statusCode).toBe(201);
      const listed = JSON.parse((await t.app.inject({ url: '/api/tokens', headers: { authorization: bearer(ciToken) } })).body).tokens as Array<{ name: string; expires: string | null }>;
      const parent = listed.find((x) => x.name === 'oidc-github')!;
      expect(JSON.parse(res.body).expires).not.toBeNull();
      expect(Date.parse(JSON.parse(res.body).expires)).toBeLessThanOrEqual(Date.parse(parent.expires!));
    }
  });

  it('a registry JWT cannot create API tokens', async () => {
    const { token } = await registryToken(alice, 'repository:frontend/app:pull,push');
    const res = await create(bearer(token), ['push:oci:frontend/app']);
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body).error.message).toMatch(/registry token/);
  });
});
