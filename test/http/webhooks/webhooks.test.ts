// Webhooks in-process (memory store) with a real receiver on loopback: OCI pushes through the
// registry API become signed deliveries; filters select; a receiver failing three times gets the
// delivery acknowledged once; dead letters show in /api/webhooks/deliveries and can be redelivered.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { injectHttp, pushImage } from '../../helpers/oci-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { hookSettings } from '../../helpers/webhook-config.js';
import type { WebhookSettings } from '../../../src/lib/config/webhook-fields.js';
import type { AccessRequest, Authorizer, Identity } from '../../../src/lib/auth/access.js';

const SECRET = 'an-hmac-secret-for-tests';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let t: TestApp | undefined;
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(): Promise<WebhookReceiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function appWith(hooks: WebhookSettings[], authorizer?: Authorizer, now?: () => number, deliver = true): Promise<TestApp> {
  const app = await buildTestApp({ mutate: (config) => { config.webhooks = hooks; }, env: { HOOK_SECRET: SECRET }, ...(authorizer ? { authorizer } : {}), ...(now ? { now } : {}) });
  if (deliver) app.services.webhooks.start(quiet);
  return app;
}

const deliveries = async (query = '') => (await t!.app.inject({ url: `/api/webhooks/deliveries${query}` })).json<{ deliveries: Array<Record<string, unknown>>; cursor?: string }>();

describe('webhooks', () => {
  it('delivers a push as signed JSON whose HMAC-SHA256 a receiver can verify, with an id to de-duplicate on', async () => {
    const r = await receiver();
    t = await appWith([hookSettings({ name: 'ci', url: r.url, events: ['tag'], secret_env: 'HOOK_SECRET', headers: { 'X-Team': 'platform' } })]);
    await pushImage(injectHttp(t.app), 'prod/api', 'v1');
    const [request] = (await eventually(() => r.requests, (list) => list.length >= 1));
    expect(request).toBeDefined();
    const expected = `sha256=${createHmac('sha256', SECRET).update(request!.body).digest('hex')}`;
    expect(request!.headers['x-nora-signature']).toBe(expected);
    expect(request!.headers['x-team']).toBe('platform');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.json).toMatchObject({ hook: 'ci', event: 'tag', artifact: { format: 'oci', name: 'prod/api', reference: 'v1' } });
    expect(request!.headers['x-nora-delivery']).toBe(request!.json.id);
    expect(typeof request!.json.id).toBe('string');
    // a body changed in transit no longer verifies
    const tampered = Buffer.from(request!.body.toString().replace('prod/api', 'prod/evil'));
    expect(`sha256=${createHmac('sha256', SECRET).update(tampered).digest('hex')}`).not.toBe(request!.headers['x-nora-signature']);
    await eventually(() => deliveries(), (page) => page.deliveries[0]?.state === 'done');
    expect((await deliveries()).deliveries).toMatchObject([{ id: request!.json.id, hook: 'ci', event: 'tag', state: 'done', attempts: 1, last_status: 200 }]);
  });

  it('filters select by event and FORMAT:NAME glob; CloudEvents 1.0 structured JSON when asked', async () => {
    const prod = await receiver();
    const npmOnly = await receiver();
    t = await appWith([
      hookSettings({ name: 'prod', url: prod.url, events: ['tag'], match: ['oci:prod/**'], format: 'cloudevents' }),
      hookSettings({ name: 'npm', url: npmOnly.url, match: ['npm:@acme/*'] }),
    ]);
    const http = injectHttp(t.app);
    await pushImage(http, 'dev/api', 'v1');
    await pushImage(http, 'prod/team/api', 'v2');
    await eventually(() => prod.requests, (list) => list.length >= 1);
    await t.services.webhooks.stop(); // every accepted event is queued and sent by now
    expect(prod.requests.map((r) => r.json.subject)).toEqual(['oci:prod/team/api:v2']);
    expect(prod.requests[0]!.headers['content-type']).toBe('application/cloudevents+json');
    expect(prod.requests[0]!.json).toMatchObject({ specversion: '1.0', type: 'dev.nora.artifact.tag', source: 'nora', datacontenttype: 'application/json', data: { hook: 'prod', artifact: { format: 'oci', name: 'prod/team/api', reference: 'v2' } } });
    expect(typeof prod.requests[0]!.json.time).toBe('string');
    expect(npmOnly.requests).toEqual([]);
  });

  it('a receiver that fails three times and then succeeds acknowledges the delivery once', async () => {
    const r = await receiver();
    r.respond = (_request, index) => (index < 3 ? 503 : 200);
    t = await appWith([hookSettings({ name: 'flaky', url: r.url, events: ['tag'], retry_delay: 20 })]);
    await pushImage(injectHttp(t.app), 'app', 'v1');
    const done = await eventually(() => deliveries(), (page) => page.deliveries[0]?.state === 'done');
    expect(done.deliveries).toMatchObject([{ state: 'done', attempts: 4, last_status: 200 }]);
    expect(r.requests.map((x) => x.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(r.requests.map((x) => x.json.id)).size).toBe(1);
    expect(r.requests.map((x) => x.headers['x-nora-attempt'])).toEqual(['1', '2', '3', '4']);
    expect([...r.acknowledged().values()]).toEqual([1]);
  });

  it('dead-letters after max_attempts, lists it as failed, and redelivers it on request', async () => {
    const r = await receiver();
    r.respond = () => 500;
    t = await appWith([hookSettings({ name: 'down', url: r.url, events: ['tag'], retry_delay: 20, max_attempts: 2 })]);
    await pushImage(injectHttp(t.app), 'app', 'v1');
    const failed = await eventually(() => deliveries('?state=failed'), (page) => page.deliveries[0]?.state === 'dead');
    expect(failed.deliveries).toMatchObject([{ hook: 'down', state: 'dead', attempts: 2, max_attempts: 2, last_status: 500, last_error: 'HTTP 500: receiver says no (500)' }]);
    expect((await deliveries('?state=done')).deliveries).toEqual([]);
    const id = String(failed.deliveries[0]!.id);
    r.respond = () => 204;
    const again = await t.app.inject({ method: 'POST', url: `/api/webhooks/deliveries/${id}/redeliver` });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id, state: 'pending', attempts: 0 });
    await eventually(() => deliveries('?state=done'), (page) => page.deliveries.length === 1);
    expect((await deliveries('?state=done')).deliveries).toMatchObject([{ id, attempts: 1, last_status: 204 }]);
    expect([...r.acknowledged().entries()]).toEqual([[id, 1]]);
    const missing = await t.app.inject({ method: 'POST', url: '/api/webhooks/deliveries/nope/redeliver' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'DELIVERY_NOT_FOUND' } });
  });

  it('a ping reports the answer; a receiver that does not listen is a failure with the reason', async () => {
    const r = await receiver();
    const gone = await startReceiver();
    await gone.close();
    t = await appWith([hookSettings({ name: 'ok', url: r.url, secret_env: 'HOOK_SECRET' }), hookSettings({ name: 'gone', url: gone.url })]);
    const ok = await t.app.inject({ method: 'POST', url: '/api/webhooks/ok/test' });
    expect(ok.json()).toMatchObject({ ok: true, status: 200 });
    expect(r.requests[0]!.json).toMatchObject({ event: 'ping', hook: 'ok' });
    expect(r.requests[0]!.headers['x-nora-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(r.requests[0]!.body).digest('hex')}`);
    const down = await t.app.inject({ method: 'POST', url: '/api/webhooks/gone/test' });
    expect(down.json()).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/webhooks/nope/test' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'WEBHOOK_UNKNOWN', message: 'no webhook named "nope"; configured: ok, gone' } });
  });

  it('pages deliveries across hooks with a cursor; bad queries are 400', async () => {
    const a = await receiver();
    const b = await receiver();
    t = await appWith([hookSettings({ name: 'a', url: a.url, events: ['tag'] }), hookSettings({ name: 'b', url: b.url, events: ['tag'] })]);
    const http = injectHttp(t.app);
    for (const tag of ['v1', 'v2', 'v3']) await pushImage(http, 'app', tag);
    await eventually(() => deliveries('?state=done&limit=500'), (page) => page.deliveries.length === 6);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deliveries(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.deliveries.map((d) => `${String(d.hook)}:${String(d.id)}`));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect((await deliveries('?hook=b')).deliveries.every((d) => d.hook === 'b')).toBe(true);
    for (const query of ['?state=bogus', '?limit=0', '?limit=501', '?limit=x', '?cursor=garbage']) {
      const bad = await t.app.inject({ url: `/api/webhooks/deliveries${query}` });
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json(), query).toMatchObject({ error: { code: 'INVALID_QUERY' } });
    }
    expect((await t.app.inject({ url: '/api/webhooks/deliveries?hook=zzz' })).statusCode).toBe(404);
  });

  it('a receiver that hangs never slows a push; at most `concurrency` deliveries of a hook are in flight', async () => {
    const r = await receiver();
    const held: Array<() => void> = [];
    r.respond = () => new Promise<number>((resolve) => held.push(() => resolve(200)));
    t = await appWith([hookSettings({ name: 'slow', url: r.url, events: ['tag'], concurrency: 2 })]);
    const http = injectHttp(t.app);
    for (const tag of ['v1', 'v2', 'v3', 'v4', 'v5']) await pushImage(http, 'app', tag); // each returns while the receiver hangs
    await eventually(() => r.inFlight, (n) => n === 2);
    expect((await deliveries('?state=pending')).deliveries).toHaveLength(3);
    expect((await deliveries('?state=claimed')).deliveries).toHaveLength(2);
    const releaseAll = () => {
      while (held.length > 0) held.shift()!();
      return r.acknowledged().size;
    };
    await eventually(releaseAll, (acked) => acked === 5);
    expect(r.maxInFlight).toBe(2);
    expect([...r.acknowledged().values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('prunes acknowledged deliveries after keep_delivered, under a lease; dead letters stay', async () => {
    let offset = 0;
    const r = await receiver();
    r.respond = (request) => (String((request.json.artifact as { reference?: string }).reference) === 'bad' ? 500 : 200);
    t = await appWith([hookSettings({ name: 'ci', url: r.url, events: ['tag'], keep_delivered: 86_400_000, max_attempts: 1 })], undefined, () => Date.now() + offset);
    const http = injectHttp(t.app);
    await pushImage(http, 'app', 'good');
    await pushImage(http, 'app', 'bad');
    await eventually(() => deliveries(), (page) => page.deliveries.filter((d) => d.state === 'done' || d.state === 'dead').length === 2);
    expect(await t.services.webhooks.pruneDelivered()).toBe(0);
    offset = 86_400_000 + 60_000;
    expect(await t.services.webhooks.pruneDelivered()).toBe(1);
    expect((await deliveries()).deliveries).toMatchObject([{ state: 'dead', artifact: { reference: 'bad' } }]);
  });

  it('a process that does not deliver (a CLI command) still queues its events; a server delivers them', async () => {
    const r = await receiver();
    t = await appWith([hookSettings({ name: 'ci', url: r.url, events: ['tag'] })], undefined, undefined, false);
    await pushImage(injectHttp(t.app), 'app', 'v1');
    await eventually(() => deliveries(), (page) => page.deliveries.length === 1);
    expect((await deliveries()).deliveries).toMatchObject([{ state: 'pending', attempts: 0, artifact: { name: 'app', reference: 'v1' } }]);
    expect(r.requests).toEqual([]);
    t.services.webhooks.start(quiet);
    await eventually(() => r.acknowledged(), (acks) => acks.size === 1);
    expect([...r.acknowledged().values()]).toEqual([1]);
  });

  it('every webhook endpoint needs admin', async () => {
    const seen: AccessRequest[][] = [];
    const authorizer: Authorizer = { authorize: async (_i: Identity, requests) => { seen.push(requests); return false; } };
    const r = await receiver();
    t = await appWith([hookSettings({ name: 'ci', url: r.url })], authorizer);
    for (const [method, url] of [['GET', '/api/webhooks/deliveries'], ['POST', '/api/webhooks/deliveries/x/redeliver'], ['POST', '/api/webhooks/ci/test']] as const) {
      expect((await t.app.inject({ method, url })).statusCode, url).toBe(401);
      expect(seen.at(-1), url).toEqual([{ action: 'admin', format: 'nora', name: '' }]);
    }
    expect(r.requests).toEqual([]);
  });
});
