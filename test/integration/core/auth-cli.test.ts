// The access-control commands against a running server sharing its data directory: `users add`
// (reloaded by the server within a second), `tokens create|ls|revoke` (revocation effective on
// the next request), `keys rotate`, and a non-bcrypt htpasswd line refusing the start.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { basic } from '../../helpers/auth-fixtures.js';
import { TestIssuer } from '../../helpers/oidc-issuer.js';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';

let dir: string;
let config: string;
let server: NoraServer;
const issuer = new TestIssuer();
const htpasswd = () => path.join(dir, 'htpasswd');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-auth-cli-'));
  config = path.join(dir, 'nora.toml');
  await issuer.start();
  await issuer.addKey('k1', 'ES256');
  const oidc = `[[auth.oidc.providers]]\nname = "github"\nissuer = "${issuer.url}"\naudience = "nora"\n\n[[auth.oidc.providers.rules]]\nmatch = { repository = "acme/*" }\npermissions = ["push:npm:@acme/*"]\n`;
  await writeFile(config, `[storage]\ndata_dir = "${path.join(dir, 'data')}"\n\n[auth]\nenabled = true\nhtpasswd_file = "${htpasswd()}"\n\n[[auth.rules]]\nsubject = "*"\npermissions = ["pull:*", "push:npm:*"]\n\n${oidc}`);
  const added = await runNora(['users', 'add', 'alice', '--config', config, '--password-stdin'], { input: 'alice-cli-password\n' });
  expect(added.code, added.stderr).toBe(0);
  await mkdir(path.join(dir, 'data'), { recursive: true });
  server = await startNora({ args: ['--config', config], dataDir: path.join(dir, 'data') });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await issuer.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const whoami = (authorization: string) => fetch(`${server.url}/npm/-/whoami`, { headers: { authorization } });

describe('access-control commands', () => {
  it('users add writes bcrypt and a running server picks up a new user', { timeout: 30_000 }, async () => {
    expect(await readFile(htpasswd(), 'utf8')).toMatch(/^alice:\$2[aby]\$10\$/);
    expect((await whoami(basic('alice', 'alice-cli-password'))).status).toBe(200);
    expect((await whoami(basic('bob', 'bob-cli-password'))).status).toBe(401);
    expect((await runNora(['users', 'add', 'bob', '--file', htpasswd(), '--password-stdin'], { input: 'bob-cli-password\n' })).code).toBe(0);
    // The server rechecks the file at most once a second; a few spaced tries stay far below the lockout.
    const status = await eventually(async () => (await whoami(basic('bob', 'bob-cli-password'))).status, (s) => s === 200, { intervalMs: 400 });
    expect(status).toBe(200);
    expect((await runNora(['users', 'rm', 'bob', '--file', htpasswd()])).code).toBe(0);
  });

  it('tokens create, ls and revoke work on the shared store', { timeout: 30_000 }, async () => {
    const created = await runNora(['tokens', 'create', '--config', config, '--owner', 'alice', '--name', 'cli', '--permission', 'pull:*', '--expires', '1d']);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^nra_/);
    expect((await whoami(`Bearer ${token}`)).status).toBe(200);
    const listed = await runNora(['tokens', 'ls', '--config', config, '--format', 'json']);
    const [record] = JSON.parse(listed.stdout) as Array<{ id: string; name: string; last_used: string | null }>;
    expect(record).toMatchObject({ name: 'cli' });
    expect(listed.stdout).not.toContain(token);
    const beyond = await runNora(['tokens', 'create', '--config', config, '--owner', 'alice', '--name', 'x', '--permission', 'delete:*']);
    expect(beyond.code).not.toBe(0);
    expect((await runNora(['tokens', 'revoke', record!.id, '--config', config])).code).toBe(0);
    expect((await whoami(`Bearer ${token}`)).status).toBe(401);
    expect((await runNora(['keys', 'rotate', '--config', config])).stdout).toMatch(/new registry signing key/);
  });

  it('login --oidc exchanges the GitHub Actions ID token and writes docker, npm, cargo and pip credentials', { timeout: 30_000 }, async () => {
    issuer.actionsToken = await issuer.sign({ sub: 'repo:acme/app:ref:refs/heads/main', repository: 'acme/app' });
    const home = path.join(dir, 'ci-home');
    const env = { HOME: home, ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer.url}/actions-token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' };
    const login = await runNora(['login', '--oidc', '--registry', server.url], { env });
    expect(login.code, login.stderr).toBe(0);
    expect(issuer.actionsAudience).toBe('nora');
    expect(login.stderr).toContain('push:npm:@acme/*');
    const npmrc = await readFile(path.join(home, '.npmrc'), 'utf8');
    const token = /_authToken=(nra_\S+)/.exec(npmrc)?.[1];
    expect(token).toBeDefined();
    expect((await whoami(`Bearer ${token}`)).status).toBe(200);
    const docker = JSON.parse(await readFile(path.join(home, '.docker', 'config.json'), 'utf8'));
    expect(Buffer.from(docker.auths[new URL(server.url).host].auth, 'base64').toString()).toBe(`oidc:${token}`);
    expect(await readFile(path.join(home, '.cargo', 'credentials.toml'), 'utf8')).toContain(`token = "${token}"`);
    expect(await readFile(path.join(home, '.netrc'), 'utf8')).toContain(`login __token__ password ${token}`);
    issuer.actionsToken = await issuer.sign({ sub: 'x', repository: 'evil/app' });
    const refused = await runNora(['login', '--oidc', '--registry', server.url, '--print'], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403.*github/);
    expect(server.logs()).not.toContain(token!);
  });

  it('refuses to start with a non-bcrypt hash, naming the line', async () => {
    const bad = path.join(dir, 'bad-htpasswd');
    await writeFile(bad, `alice:$2y$10$${'a'.repeat(53)}\ncarol:$apr1$xyz$abcdefghijklmnopqrstuv\n`);
    await expect(startNora({ env: { NORA_AUTH_ENABLED: 'true', NORA_AUTH_HTPASSWD_FILE: bad } })).rejects.toThrow(/bad-htpasswd:2: user "carol" has a non-bcrypt hash/);
  });
});
