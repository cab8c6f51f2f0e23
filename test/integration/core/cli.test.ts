// The `nora` command line as a user runs it: version, help with examples, `config check`, and
// configuration errors that stop a start with exit code 2 and a message naming the key and line.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runNora } from '../../helpers/nora-process.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-cli-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('nora --version and --help', () => {
  it('prints NORA version, platform, embedded Node version and the git revision the bundle was built from', async () => {
    const { code, stdout } = await runNora(['--version']);
    expect(code).toBe(0);
    const version = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const revision = process.env.NORA_BIN ? '[0-9a-f]{12}(-dirty)?' : `${head}(-dirty)?`;
    expect(stdout.trim()).toMatch(new RegExp(`^nora/${version.replace(/\./g, '\\.')} linux-(x64|arm64) node-v24\\.\\d+\\.\\d+ revision ${revision}$`));
  });

  it.each(['serve', 'config check'])('shows examples for %s', async (command) => {
    const { code, stdout } = await runNora([...command.split(' '), '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('EXAMPLES');
    expect(stdout).toContain(`$ nora ${command}`);
  });
});

describe('nora config check', () => {
  it('prints the effective configuration as TOML with secrets masked', async () => {
    const file = path.join(dir, 'secret.toml');
    await writeFile(file, '[storage.s3]\naccess_key_id = "AKIAEXAMPLE"\nsecret_access_key = "very-secret-value"\n');
    const { code, stdout } = await runNora(['config', 'check', '--config', file, '--port', '4100'], { cwd: dir, env: { NORA_LOG_LEVEL: 'debug' } });
    expect(code).toBe(0);
    expect(stdout).toContain('secret_access_key = "***"');
    expect(stdout).not.toContain('very-secret-value');
    expect(stdout).toContain('port = 4100');
    expect(stdout).toContain('level = "debug"');
    expect(stdout).toContain('shutdown_timeout = "30s"');
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await runNora(['config', 'check', '--json'], { cwd: dir });
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { server: { port: number }; storage: { backend: string } };
    expect(parsed.server.port).toBe(4000);
    expect(parsed.storage.backend).toBe('fs');
  });
});

describe('configuration errors stop the start with exit code 2', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown key', '[server]\nprot = 1\n', /bad\.toml:2: server\.prot: unknown key; did you mean "server\.port"\?/],
    ['wrong type', '[server]\nport = "x"\n', /bad\.toml:2: server\.port: expected an integer, got string "x"/],
    ['bad value', '[storage]\nbackend = "tape"\n', /bad\.toml:2: storage\.backend: expected one of "fs", "s3", "memory"/],
    ['invalid TOML', 'server]\n', /bad\.toml:1: invalid TOML/],
  ];
  it.each(cases)('%s', async (_name, text, expected) => {
    await writeFile(path.join(dir, 'bad.toml'), text);
    for (const args of [['serve', '--config', 'bad.toml', '--port', '0'], ['config', 'check', '--config', 'bad.toml']]) {
      const { code, stderr } = await runNora(args, { cwd: dir });
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(expected);
    }
  });

  it('--config given but missing', async () => {
    const { code, stderr } = await runNora(['serve', '--config', 'nope.toml'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain(`config file not found: ${path.join(dir, 'nope.toml')} (given by --config)`);
  });

  it('unreadable file', async () => {
    const { code, stderr } = await runNora(['serve', '--config', dir], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read config file: EISDIR/);
  });

  it('bad NORA_* variable and bad flag', async () => {
    const env = await runNora(['serve'], { cwd: dir, env: { NORA_SERVER_PORT: 'eighty' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('environment variable NORA_SERVER_PORT: server.port: expected an integer, got "eighty"');
    const flag = await runNora(['serve', '--port', '99999'], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('command-line flag: server.port: must be at most 65535, got 99999');
  });
});

describe('start failures exit with one clear message', () => {
  it('a data directory that cannot be created is a setting to fix: exit 2, naming it and where it was set', async () => {
    const { code, stderr } = await runNora(['serve', '--port', '0', '--data-dir', '/etc/passwd/nora-data'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe([
      "nora: cannot start: cannot use /etc/passwd/nora-data as the store: a part of the path is a file, not a directory (ENOTDIR: not a directory, stat '/etc/passwd/nora-data')",
      '  storage.data_dir = "/etc/passwd/nora-data" (from --data-dir)',
    ].join('\n'));
  });

  it('a port already in use', async () => {
    const blocker = (await import('node:net')).createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runNora(['serve', '--port', String(port), '--data-dir', path.join(dir, 'data')], { cwd: dir });
      expect(code).toBe(1);
      expect(stderr).toContain(`nora: cannot start: listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });
});

