// Storage quotas over HTTP (in-process): a push that would take its tenant over its quota is
// refused in the protocol's shape naming tenant, quota and usage, before anything is stored;
// deleting brings usage down; a blob shared inside a tenant counts once; warnings and refusals
// are events and audit lines.
import { describe, expect, it } from 'vitest';
import { publishBody, tarballBytes } from '../../helpers/npm-fixtures.js';
import { errorOf, injectHttp, pushImage } from '../../helpers/oci-client.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { storeKeys } from '../../helpers/store-keys.js';
import { tenant, tenantApps, type TenantApp } from './tenant-app.js';

const start = tenantApps();

const publish = (t: TenantApp, name: string, version: string, size: number) =>
  t.app.inject({ method: 'PUT', url: `/npm/${name.replace('/', '%2f')}`, payload: publishBody(name, { version, tarball: tarballBytes(`${name}@${version}`, size) }) });
const usage = async (t: TenantApp, name: string) => {
  await t.services.tenants.idle();
  const r = await t.app.inject({ method: 'GET', url: `/api/usage/${name}` });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ used: number; quota: number; percent: number; artifacts: Record<string, { names: number; versions: number }>; largest: Array<{ name: string; bytes: number }> }>();
};

describe('storage quota', () => {
  it('npm: refuses the publish that would go over, with 403 {"error"} naming tenant, quota and usage; the store is unchanged', async () => {
    const t = await start([tenant('web', { storage_quota: 1000 })]);
    expect((await publish(t, '@web/a', '1.0.0', 600)).statusCode).toBe(201);
    expect((await usage(t, 'web')).used).toBe(600);
    const before = await storeKeys(t.services.store);
    const refused = await publish(t, '@web/a', '1.0.1', 500);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ code: 'QUOTA_EXCEEDED', error: 'tenant "web" is over its storage quota: quota 1 kB, used 600 B, this push adds 500 B; delete artifacts (then gc) or raise storage_quota' });
    expect(await storeKeys(t.services.store)).toEqual(before);
    // Content outside every tenant has no quota.
    expect((await publish(t, 'free', '1.0.0', 5000)).statusCode).toBe(201);
    expect((await publish(t, '@web/a', '1.0.1', 400)).statusCode).toBe(201);
    expect((await usage(t, 'web')).used).toBe(1000);
  });

  it('deleting a version brings usage down and the next publish fits', async () => {
    const t = await start([tenant('web', { storage_quota: 1000 })]);
    expect((await publish(t, '@web/a', '1.0.0', 700)).statusCode).toBe(201);
    expect((await publish(t, '@web/a', '2.0.0', 700)).statusCode).toBe(403);
    const del = await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=npm:@web/a@1.0.0' });
    expect(del.statusCode, del.body).toBe(200);
    expect((await usage(t, 'web')).used).toBe(0);
    expect((await publish(t, '@web/a', '2.0.0', 700)).statusCode).toBe(201);
    expect((await usage(t, 'web')).used).toBe(700);
  });

  it('OCI: a blob shared by two repositories of a tenant counts once; the manifest over the quota is DENIED', async () => {
    const t = await start([tenant('team', { storage_quota: 5000 })]);
    const http = injectHttp(t.app);
    const layer = 'L'.repeat(1000);
    await pushImage(http, 'team/a', '1', { layers: [layer] });
    const first = (await usage(t, 'team')).used;
    await pushImage(http, 'team/b', '2', { layers: [layer] });
    const both = await usage(t, 'team');
    // Only b's own config and manifest are new: the 1000-byte layer is not counted twice.
    expect(both.used).toBe(2 * first - 1000);
    expect(both.artifacts.oci).toEqual({ names: 2, versions: 2 });
    const refused = await pushImage(http, 'team/c', '1', { layers: ['N'.repeat(900)] }).then(() => 'pushed', (error: Error) => error.message);
    expect(refused).toMatch(/^PUT (upload|manifest): 403 /);
    const put = await http('PUT', '/v2/team/c/manifests/2', { body: '{}', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    expect(errorOf(put).code).not.toBe('QUOTA_EXCEEDED');
    const body = JSON.parse(refused.replace(/^PUT (upload|manifest): 403 /, '')) as { errors: Array<{ code: string; message: string }> };
    expect(body.errors[0]!.code).toBe('DENIED');
    expect(body.errors[0]!.message).toMatch(/^tenant "team" is over its storage quota: quota 5 kB, used 3\.\d+ kB \(\d+ bytes\), this push adds 2\.\d+ kB \(\d+ bytes\)/);
  });

  it('Cargo: refused before the .crate is stored, errors[].detail names the tenant', async () => {
    const t = await start([tenant('core', { storage_quota: 100, namespaces: ['cargo:core-*'] })]);
    const r = await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload: frame(publishMetadata('core-lib', '1.0.0'), fakeCrate('core-lib', '1.0.0')) });
    expect(r.statusCode).toBe(403);
    expect(r.json<{ errors: Array<{ detail: string }> }>().errors[0]!.detail).toMatch(/^tenant "core" is over its storage quota: quota 100 B, used 0 B, this push adds \d+ B/);
    expect((await t.services.store.list('blobs/')).items).toEqual([]);
  });

  it('publishes QuotaWarning at 80 and 90 % (once per crossing) and QuotaExceeded, and writes them to the audit log', async () => {
    const t = await start([tenant('web', { storage_quota: 1000 })]);
    expect((await publish(t, '@web/a', '1.0.0', 810)).statusCode).toBe(201);
    await t.services.tenants.idle();
    expect((await publish(t, '@web/a', '1.0.1', 50)).statusCode).toBe(201);
    await t.services.tenants.idle();
    expect((await publish(t, '@web/a', '1.0.2', 100)).statusCode).toBe(201);
    await t.services.tenants.idle();
    expect((await publish(t, '@web/a', '1.0.3', 100)).statusCode).toBe(403);
    const notices = t.events.filter((e) => e.type === 'QuotaWarning' || e.type === 'QuotaExceeded').map((e) => [e.type, e.quota]);
    expect(notices).toEqual([
      ['QuotaWarning', { tenant: 'web', used: 810, quota: 1000, percent: 80 }],
      ['QuotaWarning', { tenant: 'web', used: 960, quota: 1000, percent: 90 }],
      ['QuotaExceeded', { tenant: 'web', used: 1060, quota: 1000, percent: 106 }],
    ]);
    await t.services.audit.flush();
    expect(t.services.audit.recent.filter((l) => l.action.startsWith('quota')).map((l) => [l.action, l.resource, l.outcome])).toEqual([
      ['quota-warning', 'npm:@web/a', 'ok'], ['quota-warning', 'npm:@web/a', 'ok'], ['quota-exceeded', 'npm:@web/a', 'denied'],
    ]);
  });
});
