// Configuration precedence and every error the loader reports, with the key and file line.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/lib/config/index.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-config-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

async function file(text: string, name = 'nora.toml'): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, text);
  return target;
}

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('zero config', () => {
  it('serves fs storage in ./data on 127.0.0.1:4000 with no file', () => {
    const { config, file: used } = loadConfig({ cwd: dir, env: {} });
    expect(used).toBeUndefined();
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 4000, public_url: '', trusted_proxies: [] });
    expect(config.storage).toMatchObject({ backend: 'fs', data_dir: './data' });
  });
});

describe('precedence: defaults < file < NORA_* < flags', () => {
  it('applies each source over the previous one', async () => {
    await file('[server]\nport = 5000\nhost = "0.0.0.0"\n[log]\nlevel = "warn"\n');
    const fileOnly = loadConfig({ cwd: dir, env: {} }).config;
    expect(fileOnly.server.port).toBe(5000);
    expect(fileOnly.log.level).toBe('warn');

    const withEnv = loadConfig({ cwd: dir, env: { NORA_SERVER_PORT: '6000', NORA_SERVER_TRUSTED_PROXIES: '10.0.0.1, 10.1.0.0/16' } }).config;
    expect(withEnv.server.port).toBe(6000);
    expect(withEnv.server.host).toBe('0.0.0.0');
    expect(withEnv.server.trusted_proxies).toEqual(['10.0.0.1', '10.1.0.0/16']);

    const withFlags = loadConfig({ cwd: dir, env: { NORA_SERVER_PORT: '6000' }, flags: { 'server.port': '7000' } }).config;
    expect(withFlags.server.port).toBe(7000);
  });

  it('finds the file by --config, else NORA_CONFIG, else ./nora.toml', async () => {
    await file('[server]\nport = 1111\n');
    const other = await file('[server]\nport = 2222\n', 'other.toml');
    const third = await file('[server]\nport = 3333\n', 'third.toml');
    expect(loadConfig({ cwd: dir, env: {} }).config.server.port).toBe(1111);
    expect(loadConfig({ cwd: dir, env: { NORA_CONFIG: other } }).config.server.port).toBe(2222);
    expect(loadConfig({ cwd: dir, env: { NORA_CONFIG: other }, configPath: third }).config.server.port).toBe(3333);
  });

  it('reads units for durations and sizes', async () => {
    await file('[server]\nshutdown_timeout = "1m30s"\nbody_limit = "4MiB"\n');
    const { config } = loadConfig({ cwd: dir, env: {} });
    expect(config.server.shutdown_timeout).toBe(90_000);
    expect(config.server.body_limit).toBe(4 * 1024 * 1024);
  });
});

describe('errors name the key and where it came from', () => {
  it('unknown key: names it, its line, and the closest known key', async () => {
    await file('[server]\nhost = "0.0.0.0"\nprot = 4000\n');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {} }))).toBe('nora.toml:3: server.prot: unknown key; did you mean "server.port"?');
  });

  it('unknown section', async () => {
    await file('[storag]\nbackend = "fs"\n');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {} }))).toBe('nora.toml:1: storag: unknown key; did you mean "storage"?');
  });

  it('wrong type', async () => {
    await file('[server]\n\nport = "eighty"\n');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {} }))).toBe('nora.toml:3: server.port: expected an integer, got string "eighty"');
  });

  it('bad value: out of range, not in the allowed set, malformed duration', async () => {
    await file('[server]\nport = 70000\nshutdown_timeout = "soon"\n[storage]\nbackend = "ftp"\n');
    const message = problemsOf(() => loadConfig({ cwd: dir, env: {} }));
    expect(message).toContain('nora.toml:2: server.port: must be at most 65535, got 70000');
    expect(message).toContain('nora.toml:3: server.shutdown_timeout: expected a duration such as "30s", "5m" or "1h", got string "soon"');
    expect(message).toContain('nora.toml:5: storage.backend: expected one of "fs", "s3", "memory", got string "ftp"');
  });

  it('dotted keys and inline tables are located too', async () => {
    await file('storage.s3.part_size = "1MiB"\n');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {} }))).toBe('nora.toml:1: storage.s3.part_size: must be at least 5MiB (the S3 minimum part size)');
  });

  it('invalid TOML reports the parser line', async () => {
    await file('[server]\nport = 4000\nhost = "unterminated\n');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {} }))).toMatch(/^nora\.toml:3: invalid TOML: /);
  });

  it('unreadable file', async () => {
    // Tests run as root, who can read any file: a directory in the file's place cannot be read as one.
    await mkdir(path.join(dir, 'nora.toml'));
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {} }))).toMatch(/^nora\.toml: cannot read config file: EISDIR/);
  });

  it('--config given but missing, and NORA_CONFIG missing', () => {
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {}, configPath: 'missing.toml' }))).toBe(`config file not found: ${path.join(dir, 'missing.toml')} (given by --config)`);
    expect(problemsOf(() => loadConfig({ cwd: dir, env: { NORA_CONFIG: '/nope/nora.toml' } }))).toBe('config file not found: /nope/nora.toml (given by NORA_CONFIG)');
  });

  it('bad environment variable names the variable', () => {
    expect(problemsOf(() => loadConfig({ cwd: dir, env: { NORA_SERVER_PORT: 'x' } }))).toBe('environment variable NORA_SERVER_PORT: server.port: expected an integer, got "x"');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: { NORA_METRICS_ENABLED: 'maybe' } }))).toBe('environment variable NORA_METRICS_ENABLED: metrics.enabled: expected true or false, got "maybe"');
  });

  it('bad flag names the key', () => {
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {}, flags: { 'server.port': 'abc' } }))).toBe('command-line flag: server.port: expected an integer, got "abc"');
  });

  it('cross-key rules: s3 needs a bucket; keys come in pairs', async () => {
    await file('[storage]\nbackend = "s3"\n');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {} }))).toBe('nora.toml:2: storage.s3.bucket: required when storage.backend = "s3"');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: { NORA_STORAGE_S3_ACCESS_KEY_ID: 'AKIA' }, configPath: '/dev/null' })))
      .toContain('storage.s3.access_key_id: access_key_id and secret_access_key must be set together');
  });

  it('reports every problem at once', async () => {
    await file('[server]\nport = "x"\nhots = "a"\n');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {} })).split('\n')).toHaveLength(2);
  });

  it('rejects bad trusted proxy entries and public URLs', async () => {
    await file('[server]\ntrusted_proxies = ["10.0.0.1", "proxy.local"]\npublic_url = "nora.example.com"\n');
    const message = problemsOf(() => loadConfig({ cwd: dir, env: {} }));
    expect(message).toContain('nora.toml:2: server.trusted_proxies: not an IP address or CIDR: "proxy.local"');
    expect(message).toContain('nora.toml:3: server.public_url: expected an http(s) URL');
  });
});
