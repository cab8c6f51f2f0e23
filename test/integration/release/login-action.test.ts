// The CI login snippets run as CI would run them, against a real `nora serve` with a loopback
// OIDC issuer: the GitHub Action's steps (deploy/github-action/action.yml, its inputs filled in
// the way the runner does) and the GitLab snippet's before_script (deploy/gitlab/nora-login.yml).
// Both download a release made by scripts/release.mjs from a file:// URL, check it against
// SHA256SUMS, install `nora` and run `nora login --oidc`. The "binary" is the real x64 binary
// when NORA_BIN names it, else a launcher of the bundle.
import { readFileSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TestIssuer } from '../../helpers/oidc-issuer.js';
import { cleanEnv, ROOT, runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { runProcess } from '../../helpers/run-process.js';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ACTION_DIR = path.join(ROOT, 'deploy', 'github-action');
const issuer = new TestIssuer();
let work: string;
let releaseDir: string;
let server: NoraServer;

interface ActionStep { shell?: string; env?: Record<string, string>; run?: string }
interface Action { inputs: Record<string, { default?: string; required?: boolean }>; runs: { using: string; steps: ActionStep[] } }

/** `${{ inputs.x }}` and `${{ github.x }}` as the runner fills them in for this test. */
function expand(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
    if (expr.startsWith('inputs.')) return inputs[expr.slice(7)] ?? '';
    if (expr === 'github.action_repository') return 'acme/nora';
    throw new Error(`the test does not know \${{ ${expr} }}`);
  });
}

/** Runs the composite action's steps with bash, like the runner; returns the last result. */
async function runAction(given: Record<string, string>, env: NodeJS.ProcessEnv) {
  const action = parse(await readFile(path.join(ACTION_DIR, 'action.yml'), 'utf8')) as Action;
  expect(action.runs.using).toBe('composite');
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, given[name] ?? spec.default ?? '']));
  for (const [name, spec] of Object.entries(action.inputs)) if (spec.required) expect(inputs[name], name).not.toBe('');
  let result = { code: 0 as number | null, stdout: '', stderr: '' };
  for (const step of action.runs.steps) {
    expect(step.shell).toBe('bash');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, inputs)]));
    result = await runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run!, inputs)], { env: { ...env, ...stepEnv, GITHUB_ACTION_PATH: ACTION_DIR } });
    if (result.code !== 0) break;
  }
  return result;
}

/** A runner's environment: its own HOME, temp and tool cache, PATH and output files, GitHub's ID-token request. */
async function runnerEnv(name: string): Promise<NodeJS.ProcessEnv> {
  const dir = path.join(work, name);
  for (const sub of ['home', 'temp', 'tools']) await mkdir(path.join(dir, sub), { recursive: true });
  return {
    ...cleanEnv(), HOME: path.join(dir, 'home'), RUNNER_ARCH: 'X64', RUNNER_TEMP: path.join(dir, 'temp'), RUNNER_TOOL_CACHE: path.join(dir, 'tools'),
    GITHUB_PATH: path.join(dir, 'github-path'), GITHUB_OUTPUT: path.join(dir, 'github-output'),
    ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer.url}/actions-token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
  };
}

/** The npm token `nora login` wrote for this server, checked against the server itself. */
async function npmToken(home: string): Promise<string> {
  const npmrc = await readFile(path.join(home, '.npmrc'), 'utf8');
  const token = new RegExp(`^//${new URL(server.url).host}/npm/:_authToken=(nra_\\S+)$`, 'm').exec(npmrc)?.[1];
  expect(token, npmrc).toBeDefined();
  const whoami = await fetch(`${server.url}/npm/-/whoami`, { headers: { authorization: `Bearer ${token}` } });
  expect(whoami.status).toBe(200);
  return token!;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-login-action-'));
  await issuer.start();
  await issuer.addKey('k1', 'ES256');
  const config = path.join(work, 'nora.toml');
  const htpasswd = path.join(work, 'htpasswd');
  await writeFile(config, [
    '[auth]', 'enabled = true', `htpasswd_file = "${htpasswd}"`,
    '[[auth.rules]]', 'subject = "*"', 'permissions = ["pull:*"]',
    '[[auth.oidc.providers]]', 'name = "ci"', `issuer = "${issuer.url}"`, 'audience = "nora"',
    '[[auth.oidc.providers.rules]]', 'match = { repository = "acme/*" }', 'permissions = ["push:npm:@acme/*"]', '',
  ].join('\n'));
  expect((await runNora(['users', 'add', 'admin', '--password-stdin', '--config', config], { input: 'admin-password\n' })).code).toBe(0);
  server = await startNora({ args: ['--config', config] });

  // The release, made by the release script from the binary under test.
  const bin = path.join(work, 'bin');
  await mkdir(bin);
  for (const arch of ['x64', 'arm64']) {
    const file = path.join(bin, `nora-linux-${arch}`);
    if (arch === 'x64' && process.env.NORA_BIN) await copyFile(path.resolve(ROOT, process.env.NORA_BIN), file);
    else await writeFile(file, `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'dist', 'nora.cjs')}" "$@"\n`);
    await chmod(file, 0o755);
  }
  releaseDir = path.join(work, 'release');
  const made = await runProcess(process.execPath, [path.join(ROOT, 'scripts', 'release.mjs'), '--binaries', bin, '--out', releaseDir], { cwd: ROOT });
  expect(made.code, made.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await issuer.stop();
  await rm(work, { recursive: true, force: true });
});

describe('GitHub Action deploy/github-action', () => {
  it('installs the checked release binary, puts it on PATH and logs in with the job\'s OIDC token', { timeout: 60_000 }, async () => {
    issuer.actionsToken = await issuer.sign({ sub: 'repo:acme/app:ref:refs/heads/main', repository: 'acme/app' });
    const env = await runnerEnv('github');
    const result = await runAction({ registry: server.url, version: VERSION, 'release-url': `file://${releaseDir}`, write: 'npm docker' }, env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^nora/${VERSION.replaceAll('.', '\\.')} linux-x64 `, 'm'));
    expect(issuer.actionsAudience).toBe('nora');
    const installed = path.join(env.RUNNER_TOOL_CACHE!, 'nora', VERSION, 'x64');
    expect(await readFile(env.GITHUB_PATH!, 'utf8')).toBe(`${installed}\n`);
    expect(await readFile(env.GITHUB_OUTPUT!, 'utf8')).toBe(`path=${installed}\n`);
    const token = await npmToken(env.HOME!);
    const docker = JSON.parse(await readFile(path.join(env.HOME!, '.docker', 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(docker.auths[new URL(server.url).host]!.auth, 'base64').toString()).toBe(`oidc:${token}`);
    // `write: npm docker` limited the clients.
    await expect(readFile(path.join(env.HOME!, '.netrc'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses an archive that does not match SHA256SUMS: nothing installed, no login', { timeout: 60_000 }, async () => {
    const tampered = path.join(work, 'tampered-release');
    await cp(releaseDir, tampered, { recursive: true });
    const sums = path.join(tampered, 'SHA256SUMS');
    await writeFile(sums, (await readFile(sums, 'utf8')).replace(/^([0-9a-f])(?=[0-9a-f]{63} {2}nora-[^\n]*-linux-x64\.tar\.gz$)/m, (d) => (d === '0' ? '1' : '0')));
    const env = await runnerEnv('github-tampered');
    const result = await runAction({ registry: server.url, version: VERSION, 'release-url': `file://${tampered}` }, env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`::error title=NORA login::nora-${VERSION}-linux-x64.tar.gz does not match SHA256SUMS`);
    await expect(readFile(path.join(env.RUNNER_TOOL_CACHE!, 'nora', VERSION, 'x64', 'nora'))).rejects.toThrow(/ENOENT/);
    await expect(readFile(path.join(env.HOME!, '.npmrc'))).rejects.toThrow(/ENOENT/);
  });

  it('a token whose claims match no rule: the exchange is refused and the step fails', { timeout: 60_000 }, async () => {
    issuer.actionsToken = await issuer.sign({ sub: 'repo:evil/app:ref:refs/heads/main', repository: 'evil/app' });
    const env = await runnerEnv('github-refused');
    const result = await runAction({ registry: server.url, version: VERSION, 'release-url': `file://${releaseDir}` }, env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/exchange refused \(HTTP 403\)/);
    await expect(readFile(path.join(env.HOME!, '.npmrc'))).rejects.toThrow(/ENOENT/);
  });
});

describe('GitLab snippet deploy/gitlab/nora-login.yml', () => {
  it('its before_script installs the checked binary and logs in with $NORA_ID_TOKEN; nora stays on PATH for the script', { timeout: 60_000 }, async () => {
    const snippet = parse(await readFile(path.join(ROOT, 'deploy', 'gitlab', 'nora-login.yml'), 'utf8')) as Record<string, { id_tokens: Record<string, { aud: string }>; variables: Record<string, string>; before_script: string[] }>;
    const job = snippet['.nora-login']!;
    expect(job.id_tokens).toEqual({ NORA_ID_TOKEN: { aud: 'nora' } });
    // The snippet installs this release by default.
    expect(job.variables.NORA_VERSION).toBe(VERSION);
    const dir = path.join(work, 'gitlab');
    await mkdir(path.join(dir, 'home'), { recursive: true });
    // GitLab runs before_script and script in one shell with `set -eo pipefail`.
    const script = ['set -eo pipefail', ...job.before_script, 'command -v nora'].join('\n');
    const result = await runProcess('bash', ['--noprofile', '--norc', '-c', script], {
      env: {
        ...cleanEnv(), ...job.variables, HOME: path.join(dir, 'home'), CI_BUILDS_DIR: dir,
        NORA_REGISTRY: server.url, NORA_RELEASE_URL: `file://${releaseDir}`,
        NORA_ID_TOKEN: await issuer.sign({ sub: 'project_path:acme/app', repository: 'acme/app' }),
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^nora/${VERSION.replaceAll('.', '\\.')} linux-x64 `, 'm'));
    expect(result.stdout.trim().split('\n').at(-1)).toBe(path.join(dir, '.nora', VERSION, `nora-${VERSION}-linux-x64`, 'nora'));
    await npmToken(path.join(dir, 'home'));
  });
});
