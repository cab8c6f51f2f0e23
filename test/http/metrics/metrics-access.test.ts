// /metrics with access control on: public by default; with [metrics] public = false only a
// caller holding "metrics:*" (or an admin) reads it, and "pull:*" is not enough.
import { afterEach, describe, expect, it } from 'vitest';
import { applyAuth, basic, USERS, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

const SCRAPER = { name: 'scraper', password: 'scraper-secret-pw-4' };
let t: TestApp | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

async function build(isPublic: boolean): Promise<TestApp> {
  const htpasswd = writeHtpasswd({ ...USERS, [SCRAPER.name]: SCRAPER.password });
  return buildTestApp({
    settings: { 'metrics.public': isPublic },
    mutate: (config) => {
      applyAuth(config, htpasswd, { anonymous: ['pull:*'] });
      config.auth.rules.push({ subject: SCRAPER.name, permissions: ['metrics:*'] });
    },
  });
}

const scrape = (app: TestApp, authorization?: string) => app.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

describe('/metrics access', () => {
  it('is public by default, even with access control on', async () => {
    t = await build(true);
    const res = await scrape(t);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('nora_http_requests_total');
  });

  it('with public = false: anonymous 401, a pull:* user 403, a metrics:* user and an admin 200', async () => {
    t = await build(false);
    const anonymous = await scrape(t);
    expect(anonymous.statusCode).toBe(401);
    const bob = await scrape(t, basic('bob', USERS.bob));
    expect(bob.statusCode).toBe(403);
    expect(bob.body).toContain('metrics on nora:*');
    const scraper = await scrape(t, basic(SCRAPER.name, SCRAPER.password));
    expect(scraper.statusCode).toBe(200);
    expect(scraper.body).toContain('nora_repository_pushes_total');
    expect((await scrape(t, basic('admin', USERS.admin))).statusCode).toBe(200);
  });

  it('a metrics:* user gets nothing else: no registry-wide admin, no pulls beyond what anonymous has', async () => {
    t = await build(false);
    const gc = await t.app.inject({ method: 'POST', url: '/api/gc', headers: { authorization: basic(SCRAPER.name, SCRAPER.password) } });
    expect(gc.statusCode).toBe(403);
  });
});
