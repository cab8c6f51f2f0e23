// Stock cargo against a real NORA process: publish a crate and a second one that depends on it
// (renamed, with a feature; verification builds it from NORA), build a consumer from a fresh
// CARGO_HOME, yank and unyank, list and change owners, search, and see NORA's refusals.
// No crates.io: the test crates have no other dependencies.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoAvailable, runCargo, type CargoResult } from '../../helpers/cargo-client.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { rawRequest } from '../../helpers/raw-http.js';

let server: NoraServer;
let dir: string;

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
}

const manifest = (name: string, version: string, extra = '') =>
  `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\ndescription = "${name} from the NORA tests"\nlicense = "MIT"\n${extra}`;

function ok(result: CargoResult): CargoResult {
  expect(result.code, `cargo failed:\n${result.stderr}`).toBe(0);
  return result;
}

async function cargoHome(name: string): Promise<string> {
  const home = path.join(dir, name);
  await writeTree(home, { 'config.toml': `[registries.nora]\nindex = "sparse+${server.url}/cargo/index/"\ncredential-provider = "cargo:token"\n` });
  return home;
}

describe.skipIf(!cargoAvailable())(cargoAvailable() ? 'cargo 1.95 against NORA' : 'cargo 1.95 against NORA [skipped: cargo not installed; scripts/ci/install-deps.sh installs it with rustup]', () => {
  beforeAll(async () => {
    server = await startNora({ env: { NORA_CARGO_UPSTREAM_INDEX: '', NORA_CARGO_MAX_CRATE_SIZE: '2MiB' } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'nora-cargo-'));
    await writeTree(dir, {
      'alpha/Cargo.toml': manifest('nora-alpha', '0.1.0', 'publish = ["nora"]\n\n[features]\nloud = []\n'),
      'alpha/src/lib.rs': 'pub fn greet() -> &\'static str { if cfg!(feature = "loud") { "HELLO FROM ALPHA" } else { "hello from alpha" } }\n',
      'beta/Cargo.toml': manifest('nora-beta', '0.2.0', 'publish = ["nora"]\n\n[dependencies]\nalpha = { package = "nora-alpha", version = "0.1.0", path = "../alpha", registry = "nora", features = ["loud"] }\n'),
      'beta/src/lib.rs': 'pub fn greet() -> String { format!("beta says {}", alpha::greet()) }\n',
      'app/Cargo.toml': manifest('nora-app', '0.1.0', 'publish = false\n\n[dependencies]\nnora-beta = { version = "0.2", registry = "nora" }\n'),
      'app/src/main.rs': 'fn main() { println!("{}", nora_beta::greet()); }\n',
      'big/Cargo.toml': manifest('nora-big', '0.1.0', 'publish = ["nora"]\n'),
      'big/src/lib.rs': `pub const DATA: &str = "${randomBytes(3 * 1024 * 1024).toString('base64')}";\n`,
    });
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('publishes, builds a consumer from a fresh CARGO_HOME, yanks, lists owners and searches', { timeout: 300_000 }, async () => {
    const home = await cargoHome('home-publisher');
    const env = { CARGO_REGISTRIES_NORA_TOKEN: 'nora-test-token', CARGO_TARGET_DIR: path.join(dir, 'target') };
    const as = (cwd: string) => ({ cwd: path.join(dir, cwd), home, env });

    ok(await runCargo(['publish', '--registry', 'nora'], as('alpha')));
    const beta = ok(await runCargo(['publish', '--registry', 'nora'], as('beta')));
    expect(beta.stderr).toMatch(/Downloaded nora-alpha v0\.1\.0 \(registry `nora`\)/);
    expect(beta.stderr).toMatch(/Published nora-beta v0\.2\.0 at registry `nora`/);
    // cargo revalidated its cached index file instead of fetching it again.
    expect(server.logs()).toMatch(/"path":"\/cargo\/index\/no\/ra\/nora-alpha","status":304/);

    const line = JSON.parse((await rawRequest(server.url, '/cargo/index/no/ra/nora-beta')).text) as Record<string, unknown>;
    expect(line).toMatchObject({ name: 'nora-beta', vers: '0.2.0', deps: [{ name: 'alpha', package: 'nora-alpha', req: '^0.1.0', features: ['loud'], kind: 'normal' }] });

    const fresh = await cargoHome('home-consumer');
    const run = ok(await runCargo(['run', '-q'], { cwd: path.join(dir, 'app'), home: fresh, env: { CARGO_TARGET_DIR: path.join(dir, 'target-app') } }));
    expect(run.stdout.trim()).toBe('beta says HELLO FROM ALPHA');

    ok(await runCargo(['yank', 'nora-alpha', '--version', '0.1.0', '--registry', 'nora'], as('alpha')));
    expect(JSON.parse((await rawRequest(server.url, '/cargo/index/no/ra/nora-alpha')).text)).toMatchObject({ yanked: true });
    ok(await runCargo(['yank', 'nora-alpha', '--version', '0.1.0', '--undo', '--registry', 'nora'], as('alpha')));
    expect(JSON.parse((await rawRequest(server.url, '/cargo/index/no/ra/nora-alpha')).text)).toMatchObject({ yanked: false });

    const owners = ok(await runCargo(['owner', '--list', 'nora-alpha', '--registry', 'nora'], as('alpha')));
    expect(owners.stdout.trim()).toBe('anonymous');
    expect(ok(await runCargo(['owner', '--add', 'ferris', 'nora-alpha', '--registry', 'nora'], as('alpha'))).stderr).toMatch(/user ferris added as owner of crate nora-alpha/);
    ok(await runCargo(['owner', '--remove', 'anonymous', 'nora-alpha', '--registry', 'nora'], as('alpha')));
    expect(ok(await runCargo(['owner', '--list', 'nora-alpha', '--registry', 'nora'], as('alpha'))).stdout.trim()).toBe('ferris');

    // What NORA refuses, cargo shows to the user.
    const big = await runCargo(['publish', '--registry', 'nora', '--no-verify'], as('big'));
    expect(big.code).not.toBe(0);
    expect(big.stderr).toMatch(/the remote server responded with an error \(status 413 Payload Too Large\): \.crate file exceeds the limit of 2097152 bytes/);

    const search = ok(await runCargo(['search', 'nora', '--registry', 'nora'], as('alpha')));
    expect(search.stdout).toMatch(/^nora-alpha = "0\.1\.0"\s+# nora-alpha from the NORA tests$/m);
    expect(search.stdout).toMatch(/^nora-beta = "0\.2\.0"\s+# nora-beta from the NORA tests$/m);
  });

  it('refuses traversal and bad names over raw HTTP, in cargo\'s error shape', async () => {
    for (const target of ['/cargo/index/%2e%2e/config.json', '/cargo/index/no/ra/..%2f..%2fetc', '/cargo/api/v1/crates/..%2fx/1.0.0/download']) {
      const response = await rawRequest(server.url, target);
      expect(response.status, target).toBe(400);
      expect(JSON.parse(response.text)).toEqual({ errors: [{ detail: expect.stringMatching(/invalid path/) }] });
    }
    expect((await rawRequest(server.url, '/cargo/index/nu/l/nul')).status).toBe(404);
  });

  it('keeps every index line when 30 versions of one crate are published at once on the fs store', async () => {
    const versions = Array.from({ length: 30 }, (_, i) => `3.0.${i}`);
    const results = await Promise.all(versions.map((v) => rawRequest(server.url, '/cargo/api/v1/crates/new', { method: 'PUT', body: frame(publishMetadata('crowd', v), fakeCrate('crowd', v)) })));
    expect(results.map((r) => r.status)).toEqual(versions.map(() => 200));
    const index = (await rawRequest(server.url, '/cargo/index/cr/ow/crowd')).text.trim().split('\n').map((l) => (JSON.parse(l) as { vers: string }).vers);
    expect(index.sort()).toEqual([...versions].sort());
  });

  it('answers a refused publish in cargo\'s shape and keeps the connection usable', async () => {
    // cargo refuses duplicates before sending, so send one as plain HTTP, with a body the server
    // refuses before reading its .crate part.
    expect((await rawRequest(server.url, '/cargo/api/v1/crates/new', { method: 'PUT', body: frame(publishMetadata('keepalive', '1.0.0'), fakeCrate('keepalive', '1.0.0')) })).status).toBe(200);
    const body = frame(publishMetadata('keepalive', '1.0.0'), Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(1900 * 1024, 1)]));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, target: string, payload?: Buffer) => new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(`${server.url}${target}`, { method, agent, headers: payload ? { 'content-length': String(payload.length) } : {} }, (response) => {
        let text = '';
        response.on('data', (d: Buffer) => { text += d.toString(); });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on('error', reject);
      request.end(payload);
    });
    try {
      const before = await send('GET', '/cargo/index/ke/ep/keepalive');
      for (let i = 0; i < 2; i++) {
        const refused = await send('PUT', '/cargo/api/v1/crates/new', body);
        expect(refused.status).toBe(400);
        expect(JSON.parse(refused.text)).toEqual({ errors: [{ detail: 'crate version `keepalive@1.0.0` already exists in this registry' }] });
        expect(await send('GET', '/cargo/index/ke/ep/keepalive')).toEqual(before);
      }
    } finally {
      agent.destroy();
    }
  });
});
