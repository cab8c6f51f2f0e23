// GET /api/usage with access control on: members see their tenant (and may push to its
// namespaces), admins see every tenant, anonymous callers get 401; /metrics has per-tenant series.
import { afterEach, describe, expect, it } from 'vitest';
import { publishBody, tarballBytes } from '../../helpers/npm-fixtures.js';
import { USERS, applyAuth, basic, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { tenant } from './tenant-app.js';

let t: TestApp | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

const bob = basic('bob', USERS.bob);
const admin = basic('admin', USERS.admin);

describe('usage API and metrics', () => {
  it('members push to their namespaces and see their own usage; admins see all; anonymous 401', async () => {
    const file = writeHtpasswd();
    t = await buildTestApp({
      settings: { 'npm.upstream': '' },
      mutate: (config) => {
        applyAuth(config, file);
        config.tenants = [tenant('web', { storage_quota: 10_000, members: ['bob'] }), tenant('core', { storage_quota: 500, members: ['group:team-frontend'] })];
      },
    });
    const publish = (name: string, authorization: string, size = 300) => t!.app.inject({ method: 'PUT', url: `/npm/${name.replace('/', '%2f')}`, headers: { authorization }, payload: publishBody(name, { tarball: tarballBytes(name, size) }) });
    expect((await publish('@web/app', bob)).statusCode).toBe(201);
    expect((await publish('@core/lib', bob)).statusCode).toBe(403);
    expect((await publish('@core/lib', basic('alice', USERS.alice))).statusCode).toBe(201);
    expect((await publish('@core/big', basic('alice', USERS.alice))).statusCode).toBe(403);
    await t.services.tenants.idle();

    const mine = await t.app.inject({ url: '/api/usage', headers: { authorization: bob } });
    expect(mine.json<{ items: Array<{ tenant: string; used: number }> }>().items.map((r) => [r.tenant, r.used])).toEqual([['web', 300]]);
    expect((await t.app.inject({ url: '/api/usage/core', headers: { authorization: bob } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/usage/nope', headers: { authorization: bob } })).json()).toEqual({ error: { code: 'TENANT_UNKNOWN', message: 'no tenant named "nope"' } });
    expect((await t.app.inject({ url: '/api/usage' })).statusCode).toBe(401);

    const all = await t.app.inject({ url: '/api/usage', headers: { authorization: admin } });
    const items = all.json<{ items: Array<Record<string, unknown>> }>().items;
    expect(items.map((r) => [r.tenant, r.used, r.quota, r.percent])).toEqual([['web', 300, 10_000, 3], ['core', 300, 500, 60]]);
    expect(items[1]).toMatchObject({ artifacts: { npm: { names: 1, versions: 1 } }, largest: [{ name: 'npm:@core/lib', bytes: 300, versions: 1 }], pushes: { hour: 1, day: 1 }, namespaces: ['oci:core/**', 'npm:@core/*'] });

    const metrics = (await t.app.inject({ url: '/metrics', headers: { authorization: admin } })).body;
    expect(metrics).toContain('nora_tenant_storage_bytes{tenant="core"} 300');
    expect(metrics).toContain('nora_tenant_quota_bytes{tenant="core"} 500');
    expect(metrics).toContain('nora_tenant_refusals_total{tenant="core",reason="quota"} 1');
    expect(metrics).toContain('nora_tenant_pushes_total{tenant="web"} 1');
    expect(metrics).toMatch(/nora_tenant_bytes_in_total\{tenant="web"\} \d{3,}/);
  });
});
