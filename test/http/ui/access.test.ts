// Who sees what in the UI: with access control on and no anonymous pull, every page answers an
// anonymous caller 401 with a Basic challenge and names nothing; a signed-in user sees only the
// names they may pull (lists, search, overview, recent pushes), and a name they may not pull is
// "not found"; anonymous pull rights, where granted, show just those names. Token forms are
// accepted only from this origin.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { basic, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { injectHttp, pushImage } from '../../helpers/oci-client.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

const USERS = { admin: 'admin-ui-pw-1', bob: 'bob-ui-pw-2' };
let t: TestApp;
const as = (user: keyof typeof USERS | undefined, url: string) =>
  t.app.inject({ url, headers: { host: 'nora.test', ...(user ? { authorization: basic(user, USERS[user]) } : {}) } });

async function build(anonymous: string[]): Promise<TestApp> {
  const htpasswd = writeHtpasswd(USERS);
  const app = await buildTestApp({
    mutate: (config) => {
      Object.assign(config.auth, {
        enabled: true, htpasswd_file: htpasswd, anonymous,
        rules: [{ subject: 'admin', permissions: ['admin:*'] }, { subject: 'bob', permissions: ['pull:oci:team/*'] }],
      });
    },
  });
  const http = injectHttp(app.app);
  const admin = { authorization: basic('admin', USERS.admin) };
  const authed: typeof http = (method, path, options = {}) => http(method, path, { ...options, headers: { ...admin, ...options.headers } });
  await pushImage(authed, 'team/web', '1.0');
  await pushImage(authed, 'secret/db', '1.0');
  await pushImage(authed, 'public/tool', '1.0');
  return app;
}

describe('a private registry', () => {
  beforeAll(async () => { t = await build([]); });
  afterAll(async () => t?.close());

  test.each(['/ui/', '/ui/search?q=e', '/ui/oci', '/ui/oci/package?name=team/web', '/ui/oci/version?name=team/web&version=1.0', '/ui/maven', '/ui/tokens', '/ui/sign-in'])(
    'anonymous %s: sign-in prompt, no names', async (url) => {
      const res = await as(undefined, url);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="NORA", charset="UTF-8"');
      expect(res.body).toContain('id="sign-in"');
      for (const name of ['team', 'secret', 'public/tool', 'web']) expect(res.body).not.toContain(name);
    });

  test('a wrong password gets the prompt again', async () => {
    const res = await t.app.inject({ url: '/ui/', headers: { authorization: basic('bob', 'wrong') } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic /);
  });

  test('bob sees only what he may pull', async () => {
    for (const url of ['/ui/', '/ui/oci', '/ui/search?q=e']) {
      const res = await as('bob', url);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('team/web');
      expect(res.body).not.toContain('secret/db');
      expect(res.body).not.toContain('public/tool');
    }
    for (const url of ['/ui/oci/package?name=secret/db', '/ui/oci/version?name=secret/db&version=1.0']) {
      const res = await as('bob', url);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('1.0</a>');
    }
    expect((await as('bob', '/ui/oci/package?name=team/web')).statusCode).toBe(200);
  });

  test('storage per format and upstreams are for admins', async () => {
    expect((await as('admin', '/ui/')).body).toMatch(/\d+ tags · /);
    expect((await as('bob', '/ui/')).body).not.toMatch(/\d+ tags · /);
  });

  test('token forms are accepted from this origin only', async () => {
    const post = (origin: string, name: string) => t.app.inject({
      method: 'POST', url: '/ui/tokens', payload: `name=${name}&expires_in=86400`,
      headers: { host: 'nora.test', origin, 'content-type': 'application/x-www-form-urlencoded', authorization: basic('bob', USERS.bob) },
    });
    const foreign = await post('http://evil.example', 'forged');
    expect(foreign.statusCode).toBe(403);
    const own = await post('http://nora.test', 'mine');
    expect(own.statusCode).toBe(200);
    expect(own.body).toMatch(/<code>nra_[\w-]+<\/code>/);
    const list = await as('bob', '/ui/tokens');
    expect(list.body).toContain('>mine<');
    expect(list.body).not.toContain('forged');
    expect(list.body).not.toMatch(/nra_[\w-]{20,}/);
  });

  test('a refused token request is shown on the form', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/ui/tokens', payload: 'name=wide&permissions=push:*',
      headers: { host: 'nora.test', origin: 'http://nora.test', 'content-type': 'application/x-www-form-urlencoded', authorization: basic('bob', USERS.bob) },
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('id="token-error"');
  });
});

describe('anonymous pull of some names', () => {
  beforeAll(async () => { t = await build(['pull:oci:public/*']); });
  afterAll(async () => t?.close());

  test('anonymous visitors browse what they may pull, and only that', async () => {
    const res = await as(undefined, '/ui/oci');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('public/tool');
    expect(res.body).not.toContain('team/web');
    expect(res.body).toContain('href="/ui/sign-in"');
    expect((await as(undefined, '/ui/sign-in')).statusCode).toBe(401);
  });
});
