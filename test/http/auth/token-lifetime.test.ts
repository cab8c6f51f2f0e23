// An API token's lifetime is bounded: an expires_in whose expiry is no date (1e308 seconds)
// answered 500 "Invalid time value" (found by the token fuzz test); now at most 100 years, else
// 400 BAD_TOKEN_REQUEST, and nothing is created.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { USERS, applyAuth, basic, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
const alice = basic('alice', USERS.alice);
beforeAll(async () => {
  const file = writeHtpasswd();
  t = await buildTestApp({ mutate: (config) => applyAuth(config, file) });
});
afterAll(async () => t?.close());

const create = (expires_in: unknown) => t.app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: alice }, payload: { name: 'lifetime', expires_in } });
const count = async () => (await t.app.inject({ url: '/api/tokens', headers: { authorization: alice } })).json().tokens.length;

it.each([1e308, 3_153_600_001, 2 ** 53])('expires_in %d is 400 BAD_TOKEN_REQUEST and creates nothing', async (seconds) => {
  const before = await count();
  const response = await create(seconds);
  expect(response.statusCode).toBe(400);
  expect(response.json().error).toMatchObject({ code: 'BAD_TOKEN_REQUEST', message: expect.stringContaining('a token lives at most 100 years') });
  expect(await count()).toBe(before);
});

it('100 years, and 0 (never), are accepted', async () => {
  const longest = await create(3_153_600_000);
  expect(longest.statusCode).toBe(201);
  expect(new Date(longest.json().expires).getUTCFullYear()).toBeGreaterThan(new Date().getUTCFullYear() + 98);
  expect((await create(0)).json()).toMatchObject({ expires: null });
});
