// Hourly push and pull limits per tenant (per server), with the clock injected: the push or pull
// over the limit gets 429 with Retry-After in the protocol's shape, and the next hour admits again.
import { describe, expect, it } from 'vitest';
import { publishBody } from '../../helpers/npm-fixtures.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { errorOf, injectHttp, pushImage } from '../../helpers/oci-client.js';
import { tenant, tenantApps } from './tenant-app.js';

const start = tenantApps();
const MINUTE = 60_000;

describe('rate limits', () => {
  it('npm: the third publish in an hour is 429 with Retry-After; an hour after the first it is admitted', async () => {
    const t = await start([tenant('web', { rate_limit: { push: 2, pull: 0 } })]);
    const publish = (version: string) => t.app.inject({ method: 'PUT', url: '/npm/@web%2fa', payload: publishBody('@web/a', { version }) });
    expect((await publish('1.0.0')).statusCode).toBe(201);
    t.clock.now += 10 * MINUTE;
    expect((await publish('1.0.1')).statusCode).toBe(201);
    t.clock.now += 20 * MINUTE;
    const refused = await publish('1.0.2');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ code: 'RATE_LIMITED', error: 'tenant "web" reached its limit of 2 pushes per hour; retry in 1800 s' });
    expect(refused.headers['retry-after']).toBe('1800');
    // Names outside the tenant are not limited.
    expect((await t.app.inject({ method: 'PUT', url: '/npm/other', payload: publishBody('other') })).statusCode).toBe(201);
    t.clock.now += 30 * MINUTE;
    expect((await publish('1.0.2')).statusCode).toBe(201);
    const report = (await t.app.inject({ method: 'GET', url: '/api/usage/web' })).json<{ pushes: { hour: number; day: number } }>();
    expect(report.pushes).toEqual({ hour: 2, day: 3 });
  });

  it('OCI: pulls of manifests over the limit get TOOMANYREQUESTS; blobs are not counted', async () => {
    const t = await start([tenant('team', { rate_limit: { push: 0, pull: 2 } })]);
    const http = injectHttp(t.app);
    const image = await pushImage(http, 'team/app', '1');
    for (let i = 0; i < 2; i++) expect((await http('GET', '/v2/team/app/manifests/1')).status).toBe(200);
    expect((await http('GET', `/v2/team/app/blobs/${image.layers[0]}`)).status).toBe(200);
    expect((await http('HEAD', '/v2/team/app/manifests/1')).status).toBe(200);
    const refused = await http('GET', '/v2/team/app/manifests/1');
    expect(errorOf(refused)).toMatchObject({ status: 429, code: 'TOOMANYREQUESTS', message: 'tenant "team" reached its limit of 2 pulls per hour; retry in 3600 s' });
    expect(refused.headers['retry-after']).toBe('3600');
    t.clock.now += 60 * MINUTE;
    expect((await http('GET', '/v2/team/app/manifests/1')).status).toBe(200);
  });

  it('Cargo: a publish over the push limit answers 429 with errors[].detail', async () => {
    const t = await start([tenant('core', { rate_limit: { push: 1, pull: 0 }, namespaces: ['cargo:core-*'] })]);
    const publish = (version: string) => t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload: frame(publishMetadata('core-lib', version), fakeCrate('core-lib', version)) });
    expect((await publish('1.0.0')).statusCode).toBe(200);
    const refused = await publish('1.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('3600');
    expect(refused.json()).toEqual({ errors: [{ detail: 'tenant "core" reached its limit of 1 pushes per hour; retry in 3600 s' }] });
  });
});
