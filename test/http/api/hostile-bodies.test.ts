// Hostile bodies on the management API answer 400 in NORA's JSON shape, never 500 (found by the
// /api fuzz test): a body nested thousands deep used to overflow JSON.stringify in the error
// message, and a gc grace of 1e30 days was taken as a duration.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => t?.close());

const post = (url: string, payload: string) => t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

it.each([
  ['/api/tags', deep(5000)],
  ['/api/tags', `{"source":${deep(5000)},"target":"a:b"}`],
  ['/api/gc', `{"grace":${deep(5000)}}`],
  ['/api/gc', `{"grace":"${'9'.repeat(30)}d"}`],
  ['/api/gc', '{"grace":"9007199254740993"}'],
])('POST %s with a hostile body is 400 BAD_REFERENCE', async (url, body) => {
  const response = await post(url, body);
  expect(response.statusCode, response.body).toBe(400);
  expect(response.json().error.code).toBe('BAD_REFERENCE');
  expect(response.json().error.message.length).toBeLessThan(400);
});

it('a sane grace still starts a collection', async () => {
  expect((await post('/api/gc', '{"grace":"30m","dry_run":true}')).statusCode).toBe(202);
});
