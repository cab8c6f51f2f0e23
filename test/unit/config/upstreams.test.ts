// One upstream shape for every format: [[<format>.upstreams]] with the same keys and defaults,
// and the keys each format had before still read (file, NORA_* environment, flags) — or, set
// together with the new list, refused with a message naming the new key.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/loader.js';
import { renderToml } from '../../../src/lib/config/render.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-upstreams-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function load(toml: string, env: Record<string, string> = {}, flags: Record<string, string> = {}) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.toml`);
  await writeFile(file, toml);
  return loadConfig({ env, cwd: dir, configPath: file, flags }).config;
}

const SHAPE = ['name', 'url', 'timeout', 'metadata_ttl', 'max_concurrency', 'username', 'password', 'password_file', 'password_env', 'proxy', 'ca_file'];

describe('[[<format>.upstreams]]', () => {
  it('is one shape in every format, with each format\'s default upstream', async () => {
    const config = await load('');
    for (const format of ['npm', 'maven', 'cargo'] as const) {
      expect(config[format].upstreams).toHaveLength(1);
      expect(Object.keys(config[format].upstreams[0]!)).toEqual(expect.arrayContaining(SHAPE));
    }
    expect(config.npm.upstreams[0]).toMatchObject({ url: 'https://registry.npmjs.org', timeout: 30_000, metadata_ttl: 300_000 });
    expect(config.maven.upstreams[0]!.url).toBe('https://repo.maven.apache.org/maven2');
    expect(config.cargo.upstreams[0]).toMatchObject({ url: 'sparse+https://index.crates.io/', dl: 'https://static.crates.io/crates/{crate}/{crate}-{version}.crate' });
    expect(config.pypi.upstreams).toEqual([]);
  });

  it('reads a list from the file', async () => {
    const config = await load('[[maven.upstreams]]\nurl = "https://a.example/m2"\ntimeout = "5s"\n[[maven.upstreams]]\nname = "b"\nurl = "https://b.example/m2"\nusername = "ci"\npassword_env = "B_TOKEN"\n');
    expect(config.maven.upstreams.map((u) => [u.name, u.url, u.timeout, u.username])).toEqual([['', 'https://a.example/m2', 5000, ''], ['b', 'https://b.example/m2', 30_000, 'ci']]);
  });

  it('keeps the old keys working, from the file, the environment and flags', async () => {
    const config = await load('[npm]\nupstream = "https://npm.example"\nmetadata_ttl = "1m"\n[pypi]\nupstream = ["https://a.example/simple/", "https://b.example/simple/"]\n',
      { NORA_NPM_UPSTREAM_TIMEOUT: '2s', NORA_MAVEN_UPSTREAM: '', NORA_CARGO_UPSTREAM_TTL: '0s' }, { 'cargo.upstream_dl': 'https://dl.example/{crate}' });
    expect(config.npm.upstreams).toEqual([expect.objectContaining({ url: 'https://npm.example', metadata_ttl: 60_000, timeout: 2000 })]);
    expect(config.pypi.upstreams.map((u) => u.url)).toEqual(['https://a.example/simple/', 'https://b.example/simple/']);
    expect(config.maven.upstreams).toEqual([]);
    expect(config.cargo.upstreams).toEqual([expect.objectContaining({ url: 'sparse+https://index.crates.io/', metadata_ttl: 0, dl: 'https://dl.example/{crate}' })]);
  });

  it('never shows a password written into an upstream or proxy URL (`nora config check`, errors)', async () => {
    const config = await load('[[npm.upstreams]]\nurl = "https://ci:hunter2@npm.example/"\nproxy = "http://me:pr0xy@proxy.example:3128"\n');
    const shown = renderToml(config);
    expect(shown).toContain('url = "https://ci:***@npm.example/"');
    expect(shown).toContain('proxy = "http://me:***@proxy.example:3128"');
    expect(shown).not.toMatch(/hunter2|pr0xy/);
    await expect(load('[[pypi.upstreams]]\nurl = "ftp://ci:hunter2@p.example/"\n')).rejects.toThrow('got "ftp://ci:***@p.example/"');
  });

  it('reads docker\'s old tag_ttl as metadata_ttl', async () => {
    const config = await load('[[docker.upstreams]]\nname = "hub"\nurl = "https://registry-1.docker.io"\ndefault = true\ntag_ttl = "1s"\n');
    expect(config.docker.upstreams[0]!.metadata_ttl).toBe(1000);
  });

  it.each([
    ['an old key beside the list', '[npm]\nupstream_timeout = "5s"\n[[npm.upstreams]]\nurl = "https://npm.example"\n', {}, 'npm.upstream_timeout: replaced by [[npm.upstreams]] timeout'],
    ['an old environment variable beside the list', '[[maven.upstreams]]\nurl = "https://m.example"\n', { NORA_MAVEN_UPSTREAM: 'https://other.example' }, 'environment variable NORA_MAVEN_UPSTREAM: maven.upstream: replaced by [[maven.upstreams]] url'],
    ['tag_ttl beside metadata_ttl', '[[docker.upstreams]]\nname = "hub"\nurl = "https://r.example"\ndefault = true\ntag_ttl = "1s"\nmetadata_ttl = "2s"\n', {}, 'the old name of "metadata_ttl"'],
    ['two cargo upstreams', '[[cargo.upstreams]]\nurl = "sparse+https://a.example/"\n[[cargo.upstreams]]\nurl = "sparse+https://b.example/"\n', {}, 'cargo.upstreams: at most one upstream'],
    ['two npm upstreams', '[[npm.upstreams]]\nurl = "https://a.example"\n[[npm.upstreams]]\nurl = "https://b.example"\n', {}, 'npm.upstreams: at most one upstream'],
    ['an upstream without a url', '[[pypi.upstreams]]\nname = "x"\n', {}, 'pypi.upstreams[0]: url is required'],
    ['a proxy that is no URL', '[[pypi.upstreams]]\nurl = "https://p.example/simple/"\nproxy = "proxy:3128"\n', {}, 'expected an http(s) URL'],
  ])('refuses %s, naming the key', async (_what, toml, env, message) => {
    await expect(load(toml, env)).rejects.toThrow(message);
  });
});
