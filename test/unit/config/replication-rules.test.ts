// [[replication]] rules: the keys' checks and the rules that span keys, each naming the rule's
// key and its line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/lib/config/index.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-config-rules-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

async function problems(text: string): Promise<string> {
  await writeFile(path.join(dir, 'nora.toml'), text);
  try {
    loadConfig({ cwd: dir, env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

const rule = (extra: string, name = 'dc2') => `[[replication]]\nname = "${name}"\nremote = "https://nora-dc2.example.com"\n${extra}`;

describe('[[replication]]', () => {
  it('loads a push rule on events and a pull rule on a schedule', async () => {
    await writeFile(path.join(dir, 'nora.toml'), `${rule('filter = ["team/**"]\ndest_prefix = "dc1/"\ndelete = true\n')}\n${rule('direction = "pull"\ntrigger = "schedule"\nschedule = "*/5 * * * *"\n', 'back')}`);
    const { config } = loadConfig({ cwd: dir, env: {} });
    expect(config.replication.map((r) => [r.name, r.direction, r.trigger, r.dest_prefix])).toEqual([['dc2', 'push', 'event', 'dc1/'], ['back', 'pull', 'schedule', '']]);
    expect(config.replication.map((r) => r.formats)).toEqual([['oci'], ['oci']]);
  });

  it('takes a pull rule for every package format', async () => {
    await writeFile(path.join(dir, 'nora.toml'), rule('direction = "pull"\ntrigger = "schedule"\nschedule = "0 * * * *"\nformats = ["npm", "maven", "cargo", "pypi"]\n'));
    expect(loadConfig({ cwd: dir, env: {} }).config.replication[0]!.formats).toEqual(['npm', 'maven', 'cargo', 'pypi']);
  });

  it.each([
    ['direction = "pull"\n', 'replication[0].trigger: a pull rule runs on a schedule'],
    ['trigger = "schedule"\n', 'replication[0].schedule: required when trigger = "schedule"'],
    ['schedule = "0 * * * *"\n', 'replication[0].trigger: set trigger = "schedule" to use schedule'],
    ['trigger = "schedule"\nschedule = "0 * * * *"\ndelete = true\n', 'replication[0].delete: deletions are propagated by trigger = "event" rules only'],
    ['token_env = "A"\npassword_env = "B"\n', 'set at most one of password_file, password_env and token_env'],
    ['dest_prefix = "Bad"\n', 'expected a lowercase repository path ending in "/"'],
    ['schedule = "hourly"\ntrigger = "schedule"\n', 'expected a cron expression'],
    ['formats = ["oci", "helm"]\n', 'expected formats among "oci", "npm", "maven", "cargo", "pypi", got "helm"'],
    ['formats = []\n', 'expected at least one format'],
    ['semver = "not a range"\n', 'expected a semver range such as "^1.4"'],
  ])('refuses %j', async (extra, message) => {
    expect(await problems(rule(extra))).toContain(message);
  });

  it('needs a name and a remote without a path, and unique names', async () => {
    expect(await problems('[[replication]]\nremote = "https://x.example"\n')).toContain('replication[0]: name and remote are required');
    expect(await problems('[[replication]]\nname = "a"\nremote = "https://x.example/v2/"\n')).toContain('expected an http(s) URL without a path');
    expect(await problems(`${rule('')}\n${rule('')}`)).toContain('replication[1].name: duplicate rule name "dc2"');
  });
});
