// The client address behind a trusted proxy (issue 13 item 7): the right-most hop of
// X-Forwarded-For that is not a trusted proxy, and only ever a valid IP address; what the access
// log and the audit log record, and what login throttling counts. Logs are captured from pino.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/loader.js';
import { createServices, type Services } from '../../../src/lib/services.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { buildApp } from '../../../src/server/app.js';
import { validAddress } from '../../../src/server/core/client-address.js';
import { createLogger } from '../../../src/server/logger.js';
import { USERS, applyAuth, basic, writeHtpasswd } from '../../helpers/auth-fixtures.js';

const PROXY = '10.0.0.5';
const lines: string[] = [];
let app: FastifyInstance;
let services: Services;
const clock = { now: Date.parse('2026-01-01T00:00:00Z') };

beforeAll(async () => {
  const { config } = loadConfig({ env: {}, cwd: '/nonexistent-nora-test-dir', flags: { 'storage.backend': 'memory', 'server.trusted_proxies': '10.0.0.0/8' } });
  applyAuth(config, writeHtpasswd());
  services = await createServices(config, { store: new MemoryStore(), now: () => clock.now });
  app = await buildApp({ services, logger: createLogger('info', { write: (line: string) => { lines.push(line); } }) });
});
afterAll(async () => {
  await app?.close();
  await services?.close();
});

/** A failed login through the proxy; returns what the access log and the audit log recorded. */
async function seen(forwardedFor: string | undefined, remoteAddress = PROXY): Promise<{ status: number; logged: unknown; audited: unknown; text: string }> {
  lines.length = 0;
  const res = await app.inject({ url: '/npm/-/whoami', headers: { authorization: basic('bob', 'guess'), ...(forwardedFor !== undefined ? { 'x-forwarded-for': forwardedFor } : {}) }, remoteAddress });
  await services.audit.flush();
  const request = lines.map((l) => JSON.parse(l) as { msg: string; ip?: string }).find((l) => l.msg === 'request');
  const audit = services.audit.recent.at(-1)!;
  return { status: res.statusCode, logged: request?.ip, audited: audit.address, text: lines.join('') + JSON.stringify(audit) };
}

describe('client address behind a trusted proxy', () => {
  it.each([
    ['the proxy\'s client', '203.0.113.9', '203.0.113.9'],
    ['the right-most untrusted hop, not what the client prepended', '6.6.6.6, 203.0.113.9', '203.0.113.9'],
    ['past a second trusted proxy', '203.0.113.9, 10.1.2.3', '203.0.113.9'],
    ['IPv6, without its zone', '2001:db8::7%eth0', '2001:db8::7'],
    ['the proxy itself when the header holds no address', '<script>alert(1)</script>', PROXY],
    ['the proxy itself when the right-most hop is not an address', '203.0.113.9, <script>', PROXY],
    ['the proxy itself for a 10 KB header', 'x'.repeat(10_000), PROXY],
    ['the proxy itself for an IPv6 zone that is not one', 'fe80::1%<b>', PROXY],
  ])('believes %s', async (_label, forwardedFor, expected) => {
    const { logged, audited, text } = await seen(forwardedFor);
    expect(logged).toBe(expected);
    expect(audited).toBe(expected);
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('<b>');
    expect(text).not.toContain('xxxxxxxxxx');
  });

  it('ignores X-Forwarded-For from an address that is not a trusted proxy', async () => {
    const { logged, audited } = await seen('203.0.113.9', '192.0.2.1');
    expect([logged, audited]).toEqual(['192.0.2.1', '192.0.2.1']);
  });

  it('writes an IPv4 client on a dual-stack socket as IPv4', async () => {
    expect((await seen(undefined, '::ffff:192.0.2.44')).logged).toBe('192.0.2.44');
    expect((await seen('203.0.113.10', '::ffff:10.0.0.5')).logged).toBe('203.0.113.10');
  });

  it('throttles the attacker behind the proxy, not the victim behind the same proxy', async () => {
    const attempt = (forwardedFor: string, password: string, user = 'alice') =>
      app.inject({ url: '/npm/-/whoami', headers: { authorization: basic(user, password), 'x-forwarded-for': forwardedFor }, remoteAddress: PROXY });
    for (let i = 0; i < 30; i++) await attempt('198.51.100.66', `guess-${i}`);
    expect((await attempt('198.51.100.66', USERS.alice)).statusCode).toBe(429);
    expect((await attempt('198.51.100.7', USERS.alice)).statusCode).toBe(200);
    // What the client writes into the header before the proxy's hop changes nothing.
    expect((await attempt('<x>, 198.51.100.66', USERS.alice)).statusCode).toBe(429);
  });
});

describe('validAddress', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'], ['::1', '::1'], ['2001:DB8::1', '2001:db8::1'], ['::ffff:1.2.3.4', '1.2.3.4'],
    ['fe80::1%eth0', 'fe80::1'], ['01.2.3.4', undefined], [' 1.2.3.4', undefined], ['[::1]', undefined], ['', undefined], [undefined, undefined],
  ])('%j → %j', (text, expected) => {
    expect(validAddress(text)).toBe(expected);
  });
});
