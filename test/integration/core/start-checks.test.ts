// What `nora serve` says at start, as an operator reads it: set-ups that cannot work are refused
// with exit 2 (auth on with a missing users file, an upstream password_env that is not set),
// mistakes that can are warned (a misspelled NORA_* variable, a token of an unknown user); the
// start line names the absolute data directory, the config file, the URL and each upstream; an
// unreachable upstream is one warning line with no stack and no build path; on request the log
// is readable lines instead of JSON.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, noraCommand, runNora, startNora } from '../../helpers/nora-process.js';
import { eventually } from '../../helpers/eventually.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-start-checks-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const configFile = async (name: string, toml: string) => { const file = path.join(dir, name); await writeFile(file, toml); return file; };
const logLines = (output: string) => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('refused starts', () => {
  it('auth on with a users file that does not exist: exit 2 naming the key, the file line and the fix', async () => {
    const missing = path.join(dir, 'missing.htpasswd');
    const config = await configFile('auth.toml', `[auth]\nenabled = true\nhtpasswd_file = "${missing}"\n`);
    const result = await runNora(['serve', '--config', config, '--port', '0', '--data-dir', path.join(dir, 'auth-data')], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('nora: cannot start: the configuration cannot work');
    expect(result.stderr).toContain(`auth.toml:3: auth.htpasswd_file: ${missing} does not exist`);
    expect(result.stderr).toContain(`nora users add NAME --file ${missing}`);
    expect(result.stdout).not.toContain('listening');
  });

  it('an upstream password_env that is not set: exit 2 from serve and config check, naming key and line', async () => {
    const config = await configFile('upstream.toml', '[[npm.upstreams]]\nname = "corp"\nurl = "http://127.0.0.1:9"\nusername = "ci"\npassword_env = "NORA_TEST_CORP_PASSWORD"\n');
    for (const args of [['serve', '--port', '0', '--data-dir', path.join(dir, 'env-data')], ['config', 'check']]) {
      const result = await runNora([...args, '--config', config], { cwd: dir });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('upstream.toml:5: npm.upstreams[0].password_env: names the environment variable NORA_TEST_CORP_PASSWORD, which is not set');
    }
    // Commands that never talk to upstreams do not need the secret.
    expect((await runNora(['config', 'keys'], { cwd: dir })).code).toBe(0);
  });
});

describe('a start that works', () => {
  it('warns about a misspelled NORA_* variable, names store, config, URL and upstreams; an unreachable upstream is one warning', async () => {
    const config = await configFile('named.toml', '[[npm.upstreams]]\nname = "unreachable"\nurl = "http://127.0.0.1:9"\n');
    const server = await startNora({ args: ['--config', config], cwd: dir, env: { NORA_SERVR_PORT: '4000' } });
    try {
      const lines = logLines(server.logs());
      expect(lines.find((l) => l.level === 'warn')).toMatchObject({ msg: 'environment variable NORA_SERVR_PORT is not a NORA setting and is ignored; did you mean NORA_SERVER_PORT (server.port)?' });
      expect(lines.find((l) => l.msg === 'listening')).toMatchObject({
        url: server.url, storage: 'fs', data_dir: server.dataDir, config_file: config,
        upstreams: expect.arrayContaining(['npm:unreachable=http://127.0.0.1:9']) as unknown,
      });

      const response = await fetch(`${server.url}/npm/left-pad`);
      expect(response.status).toBe(502);
      const warnings = await eventually(() => logLines(server.logs()).filter((l) => l.level === 'warn' && l.upstream === 'unreachable'), (found) => found.length > 0);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ url: 'http://127.0.0.1:9', reason: 'ECONNREFUSED' });
      expect(warnings[0]).not.toHaveProperty('err');
      expect(server.logs()).not.toMatch(/\n\s+at |"stack"|nora\.cjs|\/src\//);
    } finally {
      await server.stop();
    }
  });

  it('tokens of users nobody knows: refused at creation, warned at start once the user is gone', { timeout: 90_000 }, async () => {
    const users = path.join(dir, 'users.htpasswd');
    const config = await configFile('tokens.toml', `[auth]\nenabled = true\nhtpasswd_file = "${users}"\n\n[[auth.rules]]\nsubject = "*"\npermissions = ["pull:**"]\n`);
    expect((await runNora(['users', 'add', 'carol', '--file', users, '--password-stdin'], { input: 'carol-password\n' })).code).toBe(0);
    const first = await startNora({ args: ['--config', config], cwd: dir });
    await first.stop({ keepData: true });
    const dataDir = first.dataDir;
    try {
      const ghost = await runNora(['tokens', 'create', '--config', config, '--data-dir', dataDir, '--owner', 'ghost', '--name', 'typo']);
      expect(ghost.code).toBe(2);
      expect(ghost.stderr).toContain(`no user "ghost": not in ${users}`);
      expect(ghost.stdout).toBe('');
      const carol = await runNora(['tokens', 'create', '--config', config, '--data-dir', dataDir, '--owner', 'carol', '--name', 'ci']);
      expect(carol.code, carol.stderr).toBe(0);
      expect((await runNora(['users', 'rm', 'carol', '--file', users])).code).toBe(0);

      const server = await startNora({ args: ['--config', config], dataDir, cwd: dir });
      const warned = logLines(server.logs()).filter((l) => l.level === 'warn');
      await server.stop();
      expect(warned).toHaveLength(1);
      expect(warned[0]!.msg).toMatch(/^API token [0-9a-f]{12} "ci" belongs to user "carol", whom no users file, rule or group knows/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('log.format = "pretty" prints readable lines even into a pipe', async () => {
    const [cmd, ...lead] = noraCommand();
    const child = spawn(cmd, [...lead, 'serve', '--port', '0', '--data-dir', path.join(dir, 'pretty-data'), '--log-format', 'pretty'], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const line = await eventually(() => output.split('\n').find((l) => l.includes(' INFO  listening url=')), (found) => found !== undefined);
      expect(line).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  listening url=http://127\\.0\\.0\\.1:\\d+ storage=fs data_dir=${path.join(dir, 'pretty-data').replaceAll('/', '\\/')} `));
      expect(output).not.toContain('{"level"');
      expect(output).not.toContain('\u001b[');
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
