// `nora doctor` as an operator runs it: a healthy setup (fs store, a loopback upstream, a valid
// TLS pair from an openssl test CA, a free port) exits 0; a broken one (port taken, upstream
// down, key not matching, clock 10 minutes off, store not writable) exits 1 naming each problem;
// against a real S3-compatible server that ignores If-None-Match (s3rver) the probe says so.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNora } from '../../helpers/nora-process.js';
import { startS3Server, type S3TestServer } from '../../helpers/s3-server.js';
import { makeTestCa, type TestCa } from '../../helpers/test-ca.js';

interface Report { verdict: string; checks: Array<{ name: string; status: string; detail: string }> }

let dir: string;
let ca: TestCa;
const servers: http.Server[] = [];

/** A loopback HTTP server answering every request 200 with a Date header `offsetMs` off this clock. */
async function upstream(offsetMs = 0): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.sendDate = false;
    res.writeHead(200, { date: new Date(Date.now() + offsetMs).toUTCString(), 'content-type': 'application/json' }).end('{}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** nora.toml with only the npm upstream set (the others emptied: no network beyond loopback). */
function toml(lines: string[], npmUpstream: string): string {
  return [...lines, '[npm]', `upstreams = [{ url = "${npmUpstream}" }]`, '[maven]', 'upstreams = []', '[pypi]', 'upstreams = []', '[cargo]', 'upstreams = []', ''].join('\n');
}

async function doctor(name: string, text: string, extra: string[] = []) {
  const file = path.join(dir, `${name}.toml`);
  await writeFile(file, text);
  return runNora(['doctor', '--config', file, ...extra], { cwd: dir, env: { NO_COLOR: '1' } });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-doctor-'));
  ca = await makeTestCa();
});

afterAll(async () => {
  for (const server of servers) server.close();
  await ca?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('nora doctor', () => {
  it('a healthy setup: every check ok, verdict healthy, exit 0, as text and as --json', { timeout: 60_000 }, async () => {
    const pair = await ca.issue('doctor-ok', { days: 90 });
    const port = await freePort();
    const text = toml(['[server]', `port = ${port}`, '[server.tls]', `cert_file = "${pair.certFile}"`, `key_file = "${pair.keyFile}"`, '[storage]', `data_dir = "${path.join(dir, 'data-ok')}"`], await upstream());
    const json = await doctor('ok', text, ['--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.verdict).toBe('healthy');
    expect(Object.fromEntries(report.checks.map((c) => [c.name.replace(/ 127\.0\.0\.1:\d+$/, ''), c.status]))).toEqual({
      config: 'ok', store: 'ok', 'conditional writes': 'ok', 'upstream npm': 'ok', clock: 'ok', tls: 'ok', port: 'ok',
    });
    expect(report.checks.find((c) => c.name === 'tls')!.detail).toMatch(/CN=doctor-ok, key matches, expires 20\d\d-/);

    const human = await doctor('ok', text);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^ok +config +\/.*ok\.toml is valid$/m);
    expect(human.stdout).toMatch(/^ok +conditional writes +fs \(.*\) store: the second create-only write of the probe key was refused \(412\)$/m);
    expect(human.stdout).toMatch(/^verdict: healthy \(7 checks, 0 failed, 0 warnings\)$/m);
  });

  it('a broken setup: each problem named, verdict broken, exit 1', { timeout: 60_000 }, async () => {
    const a = await ca.issue('doctor-a');
    const b = await ca.issue('doctor-b');
    const taken = http.createServer();
    servers.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const notADirectory = path.join(dir, 'plain-file');
    await writeFile(notADirectory, 'x');
    const skewed = await upstream(10 * 60_000);
    const text = toml(['[server]', `port = ${port}`, '[server.tls]', `cert_file = "${a.certFile}"`, `key_file = "${b.keyFile}"`, '[storage]', `data_dir = "${notADirectory}"`,
      '[[docker.upstreams]]', 'name = "down"', 'prefix = "down.io/"', `url = "http://127.0.0.1:${await freePort()}"`], skewed);
    const result = await doctor('broken', text, ['--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.verdict).toBe('broken');
    const by = (name: string) => report.checks.find((c) => c.name.startsWith(name))!;
    expect(by('store')).toMatchObject({ status: 'fail' });
    expect(by('upstream docker down')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/unreachable \(ECONNREFUSED\)/) });
    expect(by('upstream npm')).toMatchObject({ status: 'ok' });
    expect(by('clock')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^(599|600|601) s behind 127\.0\.0\.1:\d+: /) });
    expect(by('tls')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/server\.tls\.key_file ".*doctor-b-\d+\.key" does not belong to the certificate/) });
    expect(by('port')).toMatchObject({ status: 'fail', detail: `127.0.0.1:${port} already in use (is NORA or another service running there?)` });

    const human = await doctor('broken', text);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^fail {2}port +127\.0\.0\.1:\d+ already in use/m);
    expect(human.stdout).toMatch(/^verdict: broken \(\d+ checks, 5 failed, 0 warnings\)$/m);
  });

  describe('against a real S3-compatible server', () => {
    let s3: S3TestServer;
    beforeAll(async () => { s3 = await startS3Server(); }, 30_000);
    afterAll(async () => { await s3?.stop(); });

    it('writes the probe key twice with If-None-Match: * and reports whether the second was refused', { timeout: 60_000 }, async () => {
      const text = toml(['[server]', 'port = 0', '[storage]', 'backend = "s3"', '[storage.s3]', `bucket = "${s3.bucket}"`, `endpoint = "${s3.endpoint}"`, `region = "${s3.region}"`, 'path_style = true',
        `access_key_id = "${s3.credentials.accessKeyId}"`, `secret_access_key = "${s3.credentials.secretAccessKey}"`], await upstream());
      const result = await doctor('s3', text, ['--json']);
      const report = JSON.parse(result.stdout) as Report;
      expect(report.checks.find((c) => c.name === 'store')).toMatchObject({ status: 'ok' });
      const conditional = report.checks.find((c) => c.name === 'conditional writes')!;
      // s3rver ignores If-None-Match on PUT (AWS S3, MinIO and Ceph RGW honour it): doctor must say so.
      expect(conditional).toEqual({ name: 'conditional writes', status: 'fail', detail: `s3 (bucket ${s3.bucket}) store: a second create-only write (If-None-Match: *) of an existing key succeeded; concurrent writers would overwrite each other` });
      expect(report.verdict).toBe('broken');
      expect(result.code).toBe(1);
    });
  });
});
