// Built-in TLS in one process: [server.tls] files are served, a changed pair is picked up by the
// periodic check (driven here by an injected trigger, not a timer), a broken pair is refused
// while the previous certificate keeps serving, and reloadTls (what SIGHUP runs) forces a reload.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/loader.js';
import { startServer, type RunningServer } from '../../../src/server/start.js';
import { makeTestCa, replaceFile, type TestCa } from '../../helpers/test-ca.js';

let ca: TestCa;
let caPem: Buffer;
let certFile: string;
let keyFile: string;
let server: RunningServer;
let check: () => Promise<unknown>;
let cancelled = false;

function configFor(settings: Record<string, string | number>) {
  return loadConfig({ env: {}, cwd: '/nonexistent-nora-test-dir', flags: { 'storage.backend': 'memory', 'log.level': 'silent', 'server.port': 0, ...settings } }).config;
}

/** The common name of the certificate a fresh TLS connection is served, verified against the test CA. */
function servedName(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), ca: caPem }, () => {
      const name = socket.getPeerCertificate().subject.CN;
      socket.end();
      resolve(Array.isArray(name) ? name.join(',') : name ?? '');
    });
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  ca = await makeTestCa();
  caPem = await readFile(ca.caFile);
  const first = await ca.issue('nora-first');
  certFile = path.join(ca.dir, 'served.crt');
  keyFile = path.join(ca.dir, 'served.key');
  await replaceFile(first.certFile, certFile);
  await replaceFile(first.keyFile, keyFile);
  server = await startServer(configFor({ 'server.tls.cert_file': certFile, 'server.tls.key_file': keyFile }), {
    logger: pino({ level: 'silent' }),
    tlsCheckTrigger: (c) => { check = c; return () => { cancelled = true; }; },
  });
}, 60_000);

afterAll(async () => {
  await server?.stop('test done');
  await ca?.cleanup();
});

describe('built-in TLS', () => {
  it('serves HTTPS with the configured pair; clients trusting the CA get a verified connection', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await servedName(server.url)).toBe('nora-first');
    const health = await fetchWithCa(`${server.url}/health`);
    expect(health).toBe(200);
  });

  it('picks up a renewed pair on the next check, and reports no change after that', async () => {
    const renewed = await ca.issue('nora-renewed');
    await replaceFile(renewed.keyFile, keyFile);
    await replaceFile(renewed.certFile, certFile);
    expect(await check()).toBe('reloaded');
    expect(await servedName(server.url)).toBe('nora-renewed');
    expect(await check()).toBe('unchanged');
  });

  it('refuses a key that does not match the certificate and keeps serving the previous one', async () => {
    const other = await ca.issue('nora-other');
    await replaceFile(other.keyFile, keyFile);
    expect(await check()).toBe('failed');
    expect(await servedName(server.url)).toBe('nora-renewed');
    // Fixing the pair without another file change: the forced reload (SIGHUP's path) applies it.
    await replaceFile(other.certFile, certFile);
    expect(await server.reloadTls!()).toBe('reloaded');
    expect(await servedName(server.url)).toBe('nora-other');
  });

  it('refuses to start with a certificate and a key that do not belong together, naming the key', async () => {
    const a = await ca.issue('a');
    const b = await ca.issue('b');
    await expect(startServer(configFor({ 'server.tls.cert_file': a.certFile, 'server.tls.key_file': b.keyFile }), { logger: pino({ level: 'silent' }) }))
      .rejects.toThrow(/server\.tls\.key_file ".*b-\d+\.key" does not belong to the certificate/);
    const garbage = path.join(ca.dir, 'garbage.crt');
    await writeFile(garbage, 'not a certificate\n');
    await expect(startServer(configFor({ 'server.tls.cert_file': garbage, 'server.tls.key_file': a.keyFile }), { logger: pino({ level: 'silent' }) }))
      .rejects.toThrow(/server\.tls\.cert_file ".*garbage\.crt": not a PEM certificate/);
  });

  it('rejects a cert_file without a key_file at config load, naming the key', () => {
    expect(() => configFor({ 'server.tls.cert_file': certFile })).toThrow(/server\.tls\.cert_file.*cert_file and key_file must be set together/s);
  });

  it('stops the periodic check on shutdown', async () => {
    const extra = await startServer(configFor({ 'server.tls.cert_file': certFile, 'server.tls.key_file': keyFile }), {
      logger: pino({ level: 'silent' }),
      tlsCheckTrigger: () => () => { cancelled = true; },
    });
    cancelled = false;
    await extra.stop('test');
    expect(cancelled).toBe(true);
  });
});

async function fetchWithCa(url: string): Promise<number> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    https.get(url, { ca: caPem }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
  });
}
