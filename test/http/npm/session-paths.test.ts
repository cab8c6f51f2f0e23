// npm login and logout paths carry the user name or the token percent-encoded; the router has
// decoded them once already. Found by the npm fuzz test: decoding a second time answered 500 on
// "%25c0" and read "%2540" as "@".
import { afterAll, beforeAll, expect, it } from 'vitest';
import { USERS, applyAuth, basic, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  const file = writeHtpasswd({ ...USERS, 'odd%40name': 'odd-name-pw-4' });
  t = await buildTestApp({ mutate: (config) => applyAuth(config, file) });
});
afterAll(async () => t?.close());

it('a login for a name that decodes to a malformed escape is 401 in npm shape, not 500', async () => {
  const response = await t.app.inject({ method: 'PUT', url: '/npm/-/user/org.couchdb.user:a%25c0%25af', payload: { password: 'x' } });
  expect(response.statusCode).toBe(401);
  expect(response.json().error).toContain('wrong user name or password for "a%c0%af"');
});

it('the name in the path is decoded exactly once', async () => {
  const response = await t.app.inject({ method: 'PUT', url: '/npm/-/user/org.couchdb.user:odd%2540name', payload: { password: 'odd-name-pw-4' } });
  expect(response.statusCode, response.body).toBe(201);
  expect(response.json()).toMatchObject({ ok: true, id: 'org.couchdb.user:odd%40name' });
});

it('a logout of a token that decodes to a malformed escape is 401, not 500', async () => {
  const response = await t.app.inject({ method: 'DELETE', url: '/npm/-/user/token/%25c0%25af', headers: { authorization: basic('alice', USERS.alice) } });
  expect(response.statusCode).toBe(401);
  expect(response.json().error).toContain('no such token of yours');
});
