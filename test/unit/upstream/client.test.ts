// The one upstream client every format uses, against small servers on 127.0.0.1: credentials
// (configured, from the URL, as a bare token) sent to the upstream's own origin only, a proxy,
// retries of idempotent requests only, Retry-After keeping NORA away (clock and sleep injected),
// and a private CA trusted through ca_file.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../src/lib/upstream/client.js';
import { upstreamConfig } from '../../helpers/upstream-config.js';

interface Seen { url: string; authorization?: string | undefined; method: string }

const servers: http.Server[] = [];
const clients: UpstreamClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); })));
});

/** A server answering with `answer` (status, headers), recording what it was sent. */
async function serve(answer: (request: http.IncomingMessage) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    seen.push({ url: request.url ?? '', authorization: request.headers.authorization, method: request.method ?? '' });
    const { status, headers } = answer(request);
    response.writeHead(status, headers).end('body');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function client(url: string, values: Record<string, unknown> = {}, options: ConstructorParameters<typeof UpstreamClient>[1] = {}): UpstreamClient {
  const made = new UpstreamClient(upstreamConfig('npm', url, values), { sleep: async () => undefined, ...options });
  clients.push(made);
  return made;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('UpstreamClient', () => {
  it('sends the credentials to the upstream\'s own origin only', async () => {
    const upstream = await serve();
    const elsewhere = await serve();
    const c = client(upstream.origin.replace('http://', 'http://robot:pw@'));
    expect(c.base).toBe(upstream.origin);
    (await c.request(c.url('pkg'))).body.resume();
    (await c.request(`${elsewhere.origin}/file.tgz`)).body.resume();
    expect(upstream.seen[0]).toMatchObject({ url: '/pkg', authorization: basic('robot', 'pw') });
    expect(elsewhere.seen[0]!.authorization).toBeUndefined();
  });

  it('reads the password from password_env, and sends a password without a username as a Bearer token', async () => {
    const upstream = await serve();
    process.env.NORA_TEST_UPSTREAM_PW = 'from-env';
    try {
      expect(client(upstream.origin, { username: 'ci', password_env: 'NORA_TEST_UPSTREAM_PW' }).credentials.header).toBe(basic('ci', 'from-env'));
    } finally {
      delete process.env.NORA_TEST_UPSTREAM_PW;
    }
    const token = client(upstream.origin, { password: 'tok-123' });
    (await token.request(token.url('x'))).body.resume();
    expect(upstream.seen[0]!.authorization).toBe('Bearer tok-123');
  });

  it('goes through the configured proxy', async () => {
    const proxy = await serve();
    const c = client('http://registry.invalid/npm', { proxy: proxy.origin });
    (await c.request(c.url('left-pad'))).body.resume();
    // A proxy for plain HTTP receives the absolute URL.
    expect(proxy.seen.map((s) => s.url)).toEqual(['http://registry.invalid/npm/left-pad']);
  });

  it('retries GET after a 5xx, never a POST, and names the upstream when it gives up', async () => {
    let failures = 2;
    const upstream = await serve(() => (failures-- > 0 ? { status: 503 } : { status: 200 }));
    const c = client(upstream.origin);
    expect((await c.request(c.url('a'))).status).toBe(200);
    expect(upstream.seen).toHaveLength(3);
    failures = 1;
    await expect(c.request(c.url('audit'), { method: 'POST', body: Buffer.from('{}') })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 502, detail: { upstream: upstream.origin, reason: 'status 503' } });
    expect(upstream.seen).toHaveLength(4);
  });

  it('stays away for a 429\'s Retry-After: later requests fail fast with UPSTREAM_RATE_LIMITED', async () => {
    const upstream = await serve(() => ({ status: 429, headers: { 'retry-after': '30' } }));
    let now = 1_000_000;
    const c = client(upstream.origin, {}, { now: () => now });
    await expect(c.request(c.url('a'))).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429, detail: { retry_after: 30 } });
    now += 10_000;
    await expect(c.request(c.url('b'))).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', detail: { retry_after: 20 } });
    expect(upstream.seen).toHaveLength(1);
    now += 21_000;
    await expect(c.request(c.url('c'))).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
    expect(upstream.seen).toHaveLength(2);
  });

  it('turns 401 and 403 into UPSTREAM_DENIED', async () => {
    const upstream = await serve(() => ({ status: 403 }));
    const c = client(upstream.origin);
    await expect(c.request(c.url('a'))).rejects.toMatchObject({ code: 'UPSTREAM_DENIED', detail: { reason: 'HTTP 403' } });
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))('trusts a private CA named by ca_file, and only then', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-ca-'));
    try {
      const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const server = https.createServer({ key: await readFile(key), cert: await readFile(cert) }, (_request, response) => response.end('secure'));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const trusting = client(origin, { ca_file: cert });
      expect(String(await buffer((await trusting.request(trusting.url('x'))).body))).toBe('secure');
      const plain = client(origin);
      await expect(plain.request(plain.url('x'))).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
