// Real clients against a NORA with access control on: skopeo (token flow, --creds, login and an
// auth file), npm (_authToken, whoami), cargo (token, auth-required), twine and pip (Basic and
// __token__) each work with credentials and with an API token and are refused with the right
// status without; a revoked token fails on the next request; and no secret used in the run
// appears in the server's logs or the audit log.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { basic, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { cargoAvailable, runCargo } from '../../helpers/cargo-client.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { npmSandbox } from '../../helpers/npm-cli.js';
import { OciLayout } from '../../helpers/oci-layout.js';
import { wheel } from '../../helpers/pypi-dists.js';
import { createVenv, pip, run, writeDists } from '../../helpers/python-clients.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

const ALICE = 'alice-real-client-pw';
const BOB = 'bob-real-client-pw';
let server: NoraServer;
let dir: string;
let host: string;
let token: string;
const secrets: string[] = [ALICE, BOB];

async function createToken(name: string, permissions?: string[]): Promise<{ token: string; id: string }> {
  const res = await fetch(`${server.url}/api/tokens`, {
    method: 'POST', headers: { authorization: basic('alice', ALICE), 'content-type': 'application/json' },
    body: JSON.stringify({ name, ...(permissions ? { permissions } : {}) }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { token: string; id: string };
  secrets.push(body.token);
  return body;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-auth-clients-'));
  const htpasswd = writeHtpasswd({ alice: ALICE, bob: BOB });
  const config = path.join(dir, 'nora.toml');
  await writeFile(config, `[auth]\nenabled = true\nhtpasswd_file = "${htpasswd}"\n\n[[auth.rules]]\nsubject = "alice"\npermissions = ["admin:*"]\n\n[[auth.rules]]\nsubject = "bob"\npermissions = ["pull:*"]\n\n[cargo]\nupstream_index = ""\n\n[npm]\nupstream = ""\n`);
  server = await startNora({ args: ['--config', config] });
  host = new URL(server.url).host;
  token = (await createToken('clients')).token;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('skopeo', () => {
  let skopeo: Skopeo;
  beforeAll(async () => {
    skopeo = await makeSkopeo();
    const layout = new OciLayout(path.join(dir, 'oci'));
    const image = await layout.addImage([await layout.addBlob(Buffer.from('auth layer'), 'application/vnd.oci.image.layer.v1.tar')]);
    await layout.tag('app', image);
  });
  afterAll(async () => skopeo?.cleanup());
  const copy = (to: string, ...flags: string[]) => skopeo.attempt('copy', '--dest-tls-verify=false', ...flags, `oci:${path.join(dir, 'oci')}:app`, `docker://${host}/${to}`);

  it('pushes with a user, with a token, after login; is refused without or with too little', { timeout: 60_000 }, async () => {
    const anon = await copy('team/app:1');
    expect(anon.code).not.toBe(0);
    expect(anon.stderr).toMatch(/authentication required|unauthorized/i);
    const bob = await copy('team/app:1', '--dest-creds', `bob:${BOB}`);
    expect(bob.code).not.toBe(0);
    expect(bob.stderr).toMatch(/denied/i);
    expect((await copy('team/app:1', '--dest-creds', `alice:${ALICE}`)).code).toBe(0);
    expect((await copy('team/app:2', '--dest-creds', `ci:${token}`)).code).toBe(0);
    const login = await skopeo.attempt('login', '--tls-verify=false', '-u', 'bob', '-p', BOB, host);
    expect(login.code, login.stderr).toBe(0);
    const inspect = await skopeo.attempt('inspect', '--tls-verify=false', '--raw', `docker://${host}/team/app:2`);
    expect(inspect.code, inspect.stderr).toBe(0);
    const wrong = await skopeo.attempt('login', '--tls-verify=false', '-u', 'bob', '-p', 'not-it', host);
    expect(wrong.code).not.toBe(0);
  });
});

/** `npm login` needs a terminal: run it under script(1) and answer its prompts. */
function npmLogin(env: NodeJS.ProcessEnv, user: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', 'npm login --auth-type=legacy', '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const answered = new Set<string>();
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('Username:') && !answered.has('user')) { answered.add('user'); child.stdin.write(`${user}\r`); }
      if (output.includes('Password:') && !answered.has('password')) { answered.add('password'); child.stdin.write(`${password}\r`); }
    });
    const timer = setTimeout(() => { child.kill(); reject(new Error(`npm login hung:\n${output}`)); }, 30_000);
    child.on('close', () => { clearTimeout(timer); resolve(output); });
  });
}

describe('npm', () => {
  it('npm login (htpasswd user) stores a token, whoami names the user, logout revokes it', { timeout: 60_000 }, async () => {
    const sandbox = await npmSandbox(server.url);
    try {
      await writeFile(sandbox.env.npm_config_userconfig!, `registry=${sandbox.registry}\nfund=false\nupdate-notifier=false\n`);
      const login = await npmLogin(sandbox.env, 'alice', ALICE);
      expect(login).toContain('Logged in');
      const rc = await readFile(sandbox.env.npm_config_userconfig!, 'utf8');
      const stored = /_authToken=(nra_\S+)/.exec(rc)?.[1];
      expect(stored).toBeDefined();
      secrets.push(stored!);
      expect((await sandbox.npm(['whoami'])).stdout.trim()).toBe('alice');
      expect((await sandbox.npm(['logout'])).code).toBe(0);
      const gone = await fetch(`${server.url}/npm/-/whoami`, { headers: { authorization: `Bearer ${stored}` } });
      expect(gone.status).toBe(401);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('whoami and publish with _authToken; refused without', { timeout: 60_000 }, async () => {
    const sandbox = await npmSandbox(server.url);
    try {
      expect((await sandbox.npm(['whoami'])).code).not.toBe(0);
      const rc = sandbox.env.npm_config_userconfig!;
      const text = await readFile(rc, 'utf8');
      await writeFile(rc, text.replace(':_authToken=dummy', `:_authToken=${token}`));
      const who = await sandbox.npm(['whoami']);
      expect(who.stdout.trim(), who.stderr).toBe('alice');
      const pkg = await sandbox.writePackage({ name: '@acme/authed', version: '1.0.0' });
      const published = await sandbox.npm(['publish'], pkg);
      expect(published.code, published.stderr).toBe(0);
    } finally {
      await sandbox.cleanup();
    }
  });
});

describe.skipIf(!cargoAvailable())('cargo', () => {
  it('publishes with the token (auth-required) and is refused without', { timeout: 120_000 }, async () => {
    const home = path.join(dir, 'cargo-home');
    const crate = path.join(dir, 'crate');
    await mkdir(path.join(crate, 'src'), { recursive: true });
    await mkdir(home, { recursive: true });
    await writeFile(path.join(home, 'config.toml'), `[registries.nora]\nindex = "sparse+${server.url}/cargo/index/"\ncredential-provider = "cargo:token"\n`);
    await writeFile(path.join(crate, 'Cargo.toml'), '[package]\nname = "nora-authed"\nversion = "0.1.0"\nedition = "2021"\ndescription = "x"\nlicense = "MIT"\npublish = ["nora"]\n');
    await writeFile(path.join(crate, 'src', 'lib.rs'), 'pub fn x() {}\n');
    const anon = await runCargo(['publish', '--no-verify', '--allow-dirty', '--registry', 'nora'], { cwd: crate, home, env: { CARGO_REGISTRIES_NORA_TOKEN: 'nra_notarealtoken' } });
    expect(anon.code).not.toBe(0);
    expect(anon.stderr).toMatch(/401|authentication required|unknown, revoked or expired/);
    const ok = await runCargo(['publish', '--no-verify', '--allow-dirty', '--registry', 'nora'], { cwd: crate, home, env: { CARGO_REGISTRIES_NORA_TOKEN: token } });
    expect(ok.code, ok.stderr).toBe(0);
    const search = await runCargo(['search', 'nora-authed', '--registry', 'nora'], { cwd: crate, home, env: { CARGO_REGISTRIES_NORA_TOKEN: token } });
    expect(search.stdout).toContain('nora-authed');
  });
});

describe('twine and pip', () => {
  it('uploads with Basic and __token__, installs with credentials, refused without', { timeout: 120_000 }, async () => {
    const one = wheel({ name: 'acme-authed', version: '1.0' });
    const two = wheel({ name: 'acme-authed', version: '2.0' });
    const [first, second] = await writeDists(path.join(dir, 'dists'), [one, two]);
    const upload = (file: string, user: string, password: string) => run('twine', ['upload', '--disable-progress-bar', '--non-interactive', '--repository-url', `${server.url}/pypi/`, '-u', user, '-p', password, file]);
    const refused = await upload(first!, 'alice', 'wrong-password');
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/401|Unauthorized|authentication/i);
    const bob = await upload(first!, 'bob', BOB);
    expect(bob.stdout + bob.stderr).toMatch(/403|may not push/);
    const withUser = await upload(first!, 'alice', ALICE);
    expect(withUser.code, withUser.stdout + withUser.stderr).toBe(0);
    const withToken = await upload(second!, '__token__', token);
    expect(withToken.code, withToken.stdout + withToken.stderr).toBe(0);
    const python = await createVenv(path.join(dir, 'venv'));
    const anon = await pip(python, ['download', '--no-deps', '-d', path.join(dir, 'dl0'), '--index-url', `${server.url}/simple/`, 'acme-authed==2.0']);
    expect(anon.code).not.toBe(0);
    const u = new URL(server.url);
    const authed = await pip(python, ['download', '--no-deps', '-d', path.join(dir, 'dl1'), '--index-url', `http://__token__:${token}@${u.host}/simple/`, 'acme-authed==2.0']);
    expect(authed.code, authed.stderr).toBe(0);
  });
});

describe('revocation and secrets', () => {
  it('a revoked token fails on the next request', async () => {
    const { token: short, id } = await createToken('short-lived', ['pull:*']);
    const use = () => fetch(`${server.url}/npm/-/whoami`, { headers: { authorization: `Bearer ${short}` } });
    expect((await use()).status).toBe(200);
    const del = await fetch(`${server.url}/api/tokens/${id}`, { method: 'DELETE', headers: { authorization: basic('alice', ALICE) } });
    expect(del.status).toBe(200);
    expect((await use()).status).toBe(401);
  });

  it('writes audit lines for each mutation, and no secret appears in any log', async () => {
    // The audit log is appended asynchronously: wait until the last mutation's line is there.
    const read = async () => (await readFile(path.join(server.dataDir, 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    const audit = await eventually(read, (lines) => lines.some((l) => l.action === 'token-revoke' && l.outcome === 'ok'));
    const has = (action: string, resource: string) => audit.some((l) => l.action === action && l.resource?.startsWith(resource) && l.outcome === 'ok');
    expect(has('push', 'oci:team/app')).toBe(true);
    expect(has('tag', 'oci:team/app')).toBe(true);
    expect(has('push', 'npm:@acme/authed')).toBe(true);
    expect(has('push', 'pypi:acme-authed')).toBe(true);
    if (cargoAvailable()) expect(has('push', 'cargo:nora-authed')).toBe(true);
    expect(has('token-create', 'nora:tokens')).toBe(true);
    expect(has('token-revoke', 'nora:tokens')).toBe(true);
    expect(audit.some((l) => l.action === 'login' && l.outcome === 'failed')).toBe(true);
    const everything = server.logs() + JSON.stringify(audit);
    for (const secret of secrets) expect(everything.includes(secret), `secret ${secret.slice(0, 6)}… leaked`).toBe(false);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.eyJ/);
  });
});
