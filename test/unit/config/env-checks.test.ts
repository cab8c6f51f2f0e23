// The environment around a configuration: misspelled NORA_* variables are warned with the
// closest real name; `*_env` settings naming unset variables stop serve and config check (not
// other commands); every key says where its value came from.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unknownEnvWarnings, unsetEnvReferences } from '../../../src/lib/config/env-checks.js';
import { ConfigError, loadConfig } from '../../../src/lib/config/index.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-env-checks-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('unknownEnvWarnings', () => {
  it('names the closest setting for a typo, stays quiet for real names and the client variables', () => {
    const warnings = unknownEnvWarnings({ NORA_SERVR_PORT: '1', NORA_SERVER_PORT: '2', NORA_URL: 'x', NORA_TOKEN: 'y', NORA_CONFIG: 'z', PATH: '/bin', NORA_ZZZZZZZZZZZZZZZZZ: '1' });
    expect(warnings).toEqual([
      'environment variable NORA_SERVR_PORT is not a NORA setting and is ignored; did you mean NORA_SERVER_PORT (server.port)?',
      'environment variable NORA_ZZZZZZZZZZZZZZZZZ is not a NORA setting and is ignored',
    ]);
  });

  it('comes back from loadConfig without stopping the load', () => {
    const loaded = loadConfig({ env: { NORA_STORAGE_DATADIR: '/x' }, cwd: dir });
    expect(loaded.warnings).toEqual(['environment variable NORA_STORAGE_DATADIR is not a NORA setting and is ignored; did you mean NORA_STORAGE_DATA_DIR (storage.data_dir)?']);
    expect(loaded.config.storage.data_dir).toBe('./data');
  });
});

describe('unset *_env references', () => {
  const toml = '[[npm.upstreams]]\nname = "corp"\nurl = "https://npm.corp.example"\nusername = "ci"\npassword_env = "CORP_NPM_PASSWORD"\n';

  it('lists each with its key path', () => {
    const config = { a: { password_env: 'SET' }, b: [{ secret_env: 'UNSET' }, { secret_env: '' }] };
    expect(unsetEnvReferences(config, { SET: '' })).toEqual([{ key: 'b.0.secret_env', variable: 'UNSET' }]);
  });

  it('is a problem naming the key and its file line when serve asks, and nothing otherwise', async () => {
    const file = path.join(dir, 'nora.toml');
    await writeFile(file, toml);
    expect(() => loadConfig({ configPath: file, env: {}, cwd: dir })).not.toThrow();
    let error: unknown;
    try {
      loadConfig({ configPath: file, env: {}, cwd: dir, requireEnvReferences: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('nora.toml:5: npm.upstreams[0].password_env: names the environment variable CORP_NPM_PASSWORD, which is not set');
    expect(() => loadConfig({ configPath: file, env: { CORP_NPM_PASSWORD: 's3cret' }, cwd: dir, requireEnvReferences: true })).not.toThrow();
  });
});

describe('origin()', () => {
  it('says flag, environment variable, file line or default for each key', async () => {
    const file = path.join(dir, 'origins.toml');
    await writeFile(file, '# storage\n[storage]\ndata_dir = "/var/lib/nora"\n\n[server]\nport = 5000\n');
    const loaded = loadConfig({ configPath: file, env: { NORA_SERVER_HOST: '0.0.0.0' }, flags: { 'log.level': 'debug' }, cwd: dir });
    expect(loaded.origin('storage.data_dir')).toBe('origins.toml:3');
    expect(loaded.origin('server.port')).toBe('origins.toml:6');
    expect(loaded.origin('server.host')).toBe('environment variable NORA_SERVER_HOST');
    expect(loaded.origin('log.level')).toBe('command-line flag');
    expect(loaded.origin('gc.grace')).toBe('default');
  });
});
