// The crates.io cache: a second NORA plays crates.io, stock cargo builds through
// `[source.crates-io] replace-with`, index files are revalidated with the upstream and served
// stale when it is down; a tiny lying upstream shows a cksum mismatch is refused, not stored.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoAvailable, runCargo } from '../../helpers/cargo-client.js';
import { dep, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { crateTarball } from '../../helpers/crate-tarball.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { rawRequest } from '../../helpers/raw-http.js';

let upstream: NoraServer | undefined;
let cache: NoraServer;
let dir: string;

const cacheEnv = (indexUrl: string, dl: string) => ({ NORA_CARGO_UPSTREAM_INDEX: `sparse+${indexUrl}`, NORA_CARGO_UPSTREAM_DL: dl, NORA_CARGO_UPSTREAM_TTL: '0s', NORA_CARGO_UPSTREAM_TIMEOUT: '5s' });

async function publishTo(server: NoraServer, name: string, vers: string, files: Record<string, string>, extra: Record<string, unknown> = {}): Promise<void> {
  const response = await rawRequest(server.url, '/cargo/api/v1/crates/new', { method: 'PUT', body: frame(publishMetadata(name, vers, extra), crateTarball(name, vers, files)) });
  expect(response.status, response.text).toBe(200);
}

const lib = (name: string, version: string, body: string, deps = '') => ({
  'Cargo.toml': `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n\n[dependencies]\n${deps}`,
  'src/lib.rs': body,
});

async function consumerHome(name: string): Promise<string> {
  const home = path.join(dir, name);
  await mkdir(home, { recursive: true });
  await writeFile(path.join(home, 'config.toml'),
    `[source.crates-io]\nreplace-with = "nora-cache"\n\n[source.nora-cache]\nregistry = "sparse+${cache.url}/cargo/crates-io/index/"\n`);
  return home;
}

describe.skipIf(!cargoAvailable())(cargoAvailable() ? 'crates.io cache' : 'crates.io cache [skipped: cargo not installed; scripts/ci/install-deps.sh installs it with rustup]', () => {
  beforeAll(async () => {
    upstream = await startNora({ env: { NORA_CARGO_UPSTREAM_INDEX: '' } });
    await publishTo(upstream, 'up-base', '1.0.0', lib('up-base', '1.0.0', 'pub fn base() -> u32 { 41 }\n'));
    await publishTo(upstream, 'up-top', '1.0.0', lib('up-top', '1.0.0', 'pub fn top() -> u32 { up_base::base() + 1 }\n', 'up-base = "1.0.0"\n'),
      { deps: [dep({ name: 'up-base', version_req: '^1.0.0' })] });
    cache = await startNora({ env: cacheEnv(`${upstream.url}/cargo/index/`, `${upstream.url}/cargo/api/v1/crates/{crate}/{version}/download`) });
    dir = await mkdtemp(path.join(os.tmpdir(), 'nora-cargo-up-'));
    await mkdir(path.join(dir, 'app/src'), { recursive: true });
    await writeFile(path.join(dir, 'app/Cargo.toml'), '[package]\nname = "up-app"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nup-top = "1"\n');
    await writeFile(path.join(dir, 'app/src/main.rs'), 'fn main() { println!("answer {}", up_top::top()); }\n');
  });
  afterAll(async () => {
    await cache?.stop();
    await upstream?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds through replace-with, serving config.json, index files and verified .crate files', { timeout: 300_000 }, async () => {
    expect(JSON.parse((await rawRequest(cache.url, '/cargo/crates-io/index/config.json')).text)).toEqual({ dl: `${cache.url}/cargo/crates-io/api/v1/crates` });
    const run = await runCargo(['run', '-q'], { cwd: path.join(dir, 'app'), home: await consumerHome('home-1'), env: { CARGO_TARGET_DIR: path.join(dir, 'target') } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('answer 42');
    expect(cache.logs()).toMatch(/"path":"\/cargo\/crates-io\/api\/v1\/crates\/up-base\/1\.0\.0\/download","status":200/);
    // The cached .crate is an ordinary blob named by the index cksum.
    const { cksum } = JSON.parse((await rawRequest(cache.url, '/cargo/crates-io/index/up/-b/up-base')).text) as { cksum: string };
    expect(existsSync(path.join(cache.dataDir, 'blobs', 'sha256', cksum.slice(0, 2), cksum))).toBe(true);

    // With upstream_ttl 0 every index read revalidates: the upstream answers 304 to NORA.
    const again = await rawRequest(cache.url, '/cargo/crates-io/index/up/-t/up-top');
    expect(again.status).toBe(200);
    expect(upstream!.logs()).toMatch(/"path":"\/cargo\/index\/up\/-t\/up-top","status":304/);
    // And NORA answers cargo's own revalidation with 304.
    expect((await rawRequest(cache.url, '/cargo/crates-io/index/up/-t/up-top', { headers: { 'if-none-match': String(again.headers.etag) } })).status).toBe(304);
  });

  it('never merges local crates with upstream ones', async () => {
    await publishTo(cache, 'up-top', '9.0.0', lib('up-top', '9.0.0', 'pub fn top() -> u32 { 0 }\n'));
    const local = (await rawRequest(cache.url, '/cargo/index/up/-t/up-top')).text.trim().split('\n').map((l) => (JSON.parse(l) as { vers: string }).vers);
    const cached = (await rawRequest(cache.url, '/cargo/crates-io/index/up/-t/up-top')).text.trim().split('\n').map((l) => (JSON.parse(l) as { vers: string }).vers);
    expect(local).toEqual(['9.0.0']);
    expect(cached).toEqual(['1.0.0']);
    expect((await rawRequest(cache.url, '/cargo/crates-io/api/v1/crates/up-top/9.0.0/download')).status).toBe(404);
    expect((await rawRequest(cache.url, '/cargo/crates-io/index/no/ne/nonexistent')).status).toBe(404);
  });

  it('keeps serving cached index files and crates when the upstream is down', { timeout: 300_000 }, async () => {
    const before = (await rawRequest(cache.url, '/cargo/crates-io/index/up/-b/up-base')).text;
    await upstream!.stop();
    upstream = undefined;
    const stale = await rawRequest(cache.url, '/cargo/crates-io/index/up/-b/up-base');
    expect(stale.status).toBe(200);
    expect(stale.text).toBe(before);
    const fetched = await runCargo(['fetch'], { cwd: path.join(dir, 'app'), home: await consumerHome('home-2') });
    expect(fetched.code, fetched.stderr).toBe(0);
    const unknown = await rawRequest(cache.url, '/cargo/crates-io/index/ne/ve/never-cached');
    expect(unknown.status).toBe(502);
    expect(JSON.parse(unknown.text)).toEqual({ errors: [{ detail: expect.stringMatching(/is unavailable .* and nothing is cached/) }] });
  });

  it('refuses a .crate whose sha256 differs from the index cksum, and stores nothing', async () => {
    const crate = gzipSync(Buffer.from('the real bytes'));
    const lie = createHash('sha256').update('other bytes').digest('hex');
    let downloads = 0;
    const liar = http.createServer((request, response) => {
      if (request.url === '/index/li/ar/liar') {
        response.end(`${JSON.stringify({ name: 'liar', vers: '1.0.0', deps: [], cksum: lie, features: {}, yanked: false, links: null })}\n`);
      } else if (request.url === '/dl/liar/1.0.0.crate') {
        downloads++;
        response.end(crate);
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
    const lyingCache = await startNora({ env: cacheEnv(`${base}/index/`, `${base}/dl/{crate}/{version}.crate`) });
    try {
      for (let attempt = 1; attempt <= 2; attempt++) {
        const response = await rawRequest(lyingCache.url, '/cargo/crates-io/api/v1/crates/liar/1.0.0/download');
        expect(response.status).toBe(502);
        expect(JSON.parse(response.text)).toEqual({ errors: [{ detail: `upstream .crate for \`liar@1.0.0\` has sha256 ${createHash('sha256').update(crate).digest('hex')}, but the index says ${lie}; refused` }] });
        expect(downloads).toBe(attempt);
      }
      const real = createHash('sha256').update(crate).digest('hex');
      expect(existsSync(path.join(lyingCache.dataDir, 'blobs', 'sha256', real.slice(0, 2), real))).toBe(false);
      expect(existsSync(path.join(lyingCache.dataDir, 'blobs', 'sha256', lie.slice(0, 2), lie))).toBe(false);
    } finally {
      await lyingCache.stop();
      await new Promise((resolve) => liar.close(resolve));
    }
  });
});
