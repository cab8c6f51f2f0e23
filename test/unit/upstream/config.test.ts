// [[docker.upstreams]] in nora.toml: defaults, and the rules that span keys.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../../src/lib/config/loader.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-upstream-config-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function load(toml: string) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.toml`);
  await writeFile(file, toml);
  return loadConfig({ env: {}, cwd: dir, configPath: file });
}

test('an upstream gets the documented defaults', async () => {
  const { config } = await load('[[docker.upstreams]]\nname = "hub"\nurl = "https://registry-1.docker.io"\ndefault = true\n');
  expect(config.docker.upstreams).toEqual([expect.objectContaining({ name: 'hub', default: true, prefix: '', metadata_ttl: 300_000, max_concurrency: 8, timeout: 30_000, allow_push: false })]);
});

test.each([
  ['two defaults', '[[docker.upstreams]]\nname = "a"\nurl = "https://a.io"\ndefault = true\n[[docker.upstreams]]\nname = "b"\nurl = "https://b.io"\ndefault = true\n', 'at most one upstream'],
  ['neither prefix nor default', '[[docker.upstreams]]\nname = "a"\nurl = "https://a.io"\n', 'prefix or default'],
  ['a prefix without a slash', '[[docker.upstreams]]\nname = "a"\nurl = "https://a.io"\nprefix = "ghcr.io"\n', 'ending in "/"'],
  ['two password sources', '[[docker.upstreams]]\nname = "a"\nurl = "https://a.io"\ndefault = true\npassword = "x"\npassword_env = "Y"\n', 'at most one of password'],
  ['a URL with a path', '[[docker.upstreams]]\nname = "a"\nurl = "https://a.io/v2/"\ndefault = true\n', 'http(s) URL'],
])('%s is refused', async (_what, toml, message) => {
  await expect(load(toml)).rejects.toThrow(message);
});
