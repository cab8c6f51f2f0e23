// One set of upstream errors, in every protocol's own shape: with nothing cached, an upstream
// that cannot be reached is UPSTREAM_UNAVAILABLE (OCI: distribution's UNAVAILABLE) and one that
// does not answer in time UPSTREAM_TIMEOUT (OCI: UNAVAILABLE); each names the upstream by its URL
// without the credentials written into it, in the body the client prints. Those credentials do
// authenticate: every format sends them (OCI when the upstream's challenge asks).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoraConfig } from '../../../src/lib/config/schema.js';
import { buildTestApp } from '../../helpers/test-app.js';
import { upstreamConfig } from '../../helpers/upstream-config.js';

const SECRET = 's3cret-pw';
let deadPort: number;
let hanging: http.Server;
let hangingPort: number;
let guarded: http.Server;
let guardedPort: number;
const BASIC = `Basic ${Buffer.from(`robot:${SECRET}`).toString('base64')}`;

beforeAll(async () => {
  // A port nothing listens on: connections are refused.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  deadPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  // An upstream that accepts requests and never answers them.
  hanging = http.createServer(() => undefined);
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  hangingPort = (hanging.address() as AddressInfo).port;
  // An upstream that has nothing, and says so only to the right credentials.
  guarded = http.createServer((request, response) => {
    if (request.headers.authorization !== BASIC) response.writeHead(401, { 'www-authenticate': 'Basic realm="upstream"' }).end();
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => guarded.listen(0, '127.0.0.1', resolve));
  guardedPort = (guarded.address() as AddressInfo).port;
});
afterAll(async () => {
  hanging.closeAllConnections();
  await new Promise((resolve) => hanging.close(resolve));
  await new Promise((resolve) => guarded.close(resolve));
});

type Format = 'docker' | 'npm' | 'maven' | 'pypi' | 'cargo';

interface Case {
  format: Format;
  /** The path under the upstream's URL. */
  base: string;
  /** What a client asks NORA for. */
  url: string;
  /** The message a client of this protocol prints, from the response. */
  message: (body: string) => string;
}

const CASES: Case[] = [
  { format: 'npm', base: '/npm', url: '/npm/left-pad', message: (body) => (JSON.parse(body) as { error: string }).error },
  { format: 'maven', base: '/maven2', url: '/maven2/com/acme/lib/1.0/lib-1.0.jar', message: (body) => body },
  { format: 'pypi', base: '/simple', url: '/simple/demo/', message: (body) => body },
  { format: 'cargo', base: '/index', url: '/cargo/crates-io/index/de/mo/demo', message: (body) => (JSON.parse(body) as { errors: Array<{ detail: string }> }).errors[0]!.detail },
  { format: 'docker', base: '', url: '/v2/library/demo/manifests/latest', message: (body) => (JSON.parse(body) as { errors: Array<{ message: string }> }).errors[0]!.message },
];

/** An app whose only upstream is `case.format`'s, at `origin` with credentials in its URL. */
async function appWith(c: Case, origin: string, timeout = '30s') {
  const url = `http://robot:${SECRET}@${origin}${c.base}${c.format === 'cargo' ? '/' : ''}`;
  return buildTestApp({
    mutate: (config: NoraConfig) => {
      for (const format of ['npm', 'maven', 'pypi', 'cargo', 'docker'] as const) config[format].upstreams = [];
      const extra = c.format === 'docker' ? { name: 'hub', default: true } : {};
      (config[c.format].upstreams as unknown[]) = [upstreamConfig(c.format, url, { timeout, ...extra })];
    },
  });
}

describe.each(CASES)('$format pull-through', (c) => {
  it('answers an unreachable upstream with UPSTREAM_UNAVAILABLE naming its URL without credentials', async () => {
    const t = await appWith(c, `127.0.0.1:${deadPort}`);
    try {
      const response = await t.app.inject({ url: c.url });
      expect(response.statusCode).toBe(c.format === 'docker' ? 503 : 502);
      const message = c.message(response.body);
      expect(message).toContain(`http://127.0.0.1:${deadPort}${c.base}`);
      expect(response.body).not.toContain(SECRET);
      expect(response.body).not.toContain('robot');
      if (c.format === 'docker') expect(JSON.parse(response.body)).toMatchObject({ errors: [{ code: 'UNAVAILABLE', detail: { upstream: `http://127.0.0.1:${deadPort}` } }] });
      if (c.format === 'npm') expect(JSON.parse(response.body)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      await t.close();
    }
  });

  it('answers an upstream that does not answer in time with UPSTREAM_TIMEOUT', async () => {
    const t = await appWith(c, `127.0.0.1:${hangingPort}`, '300ms');
    try {
      const response = await t.app.inject({ url: c.url });
      expect(response.statusCode).toBe(c.format === 'docker' ? 503 : 504);
      expect(c.message(response.body)).toContain('did not answer within 300 ms');
      expect(response.body).not.toContain(SECRET);
    } finally {
      await t.close();
    }
  });

  it('authenticates with the credentials in its URL (the upstream then answers "not found")', async () => {
    const t = await appWith(c, `127.0.0.1:${guardedPort}`);
    try {
      expect((await t.app.inject({ url: c.url })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
