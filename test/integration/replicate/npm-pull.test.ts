// A pull rule with formats = ["npm"]: the puller lists the remote NORA's npm packages, publishes
// every matching version it lacks through its own npm registry (integrity verified), with the
// dist-tags and deprecations the remote has; a later pass brings what changed there since, and
// npm installs from the puller. Packages outside the rule's filter stay out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../../helpers/eventually.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import type { RuleStatus } from '../../../src/lib/ops/replicate/rules/replication-runner.js';

const within = { timeoutMs: 120_000, intervalMs: 250 };
let work: string;
let remote: NoraServer;
let puller: NoraServer | undefined;
let publisher: NpmSandbox;
let consumer: NpmSandbox | undefined;

const packument = async (base: string, name: string) => {
  const res = await fetch(`${base}/npm/${name.replace('/', '%2f')}`);
  return res.status === 200 ? (await res.json()) as { 'dist-tags': Record<string, string>; versions: Record<string, { deprecated?: string; dist: { integrity: string } }> } : undefined;
};
const versions = async (base: string, name: string) => Object.keys((await packument(base, name))?.versions ?? {}).sort();

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-npm-pull-'));
  remote = await startNora();
  publisher = await npmSandbox(remote.url);
  for (const [name, version] of [['@acme/greet', '1.0.0'], ['@acme/greet', '1.1.0'], ['other-pkg', '1.0.0']] as const) {
    const dir = await publisher.writePackage({ name, version, main: 'index.js' });
    expect((await publisher.npm(['publish'], dir)).code).toBe(0);
  }
  expect((await publisher.npm(['dist-tag', 'add', '@acme/greet@1.0.0', 'stable'])).code).toBe(0);
  expect((await publisher.npm(['deprecate', '@acme/greet@1.0.0', 'use 1.1'])).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await puller?.stop();
  await remote?.stop();
  await publisher?.cleanup();
  await consumer?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('pull rule for npm', () => {
  it('publishes the remote\'s matching versions here with tags and deprecations, and npm installs them', { timeout: 300_000 }, async () => {
    const config = path.join(work, 'nora.toml');
    await writeFile(config, `[[replication]]\nname = "pull"\ndirection = "pull"\ntrigger = "schedule"\nschedule = "* * * * * *"\nremote = "${remote.url}"\nformats = ["npm"]\nfilter = ["@acme/**"]\n`);
    puller = await startNora({ args: ['--config', config] });

    expect(await eventually(() => versions(puller!.url, '@acme/greet'), (v) => v.length === 2, within)).toEqual(['1.0.0', '1.1.0']);
    const pulled = await eventually(() => packument(puller!.url, '@acme/greet'), (p) => p?.['dist-tags'].stable === '1.0.0' && p.versions['1.0.0']?.deprecated === 'use 1.1', within);
    const source = (await packument(remote.url, '@acme/greet'))!;
    expect(pulled!['dist-tags']).toEqual({ latest: '1.1.0', stable: '1.0.0' });
    expect(pulled!.versions['1.1.0']!.dist.integrity).toBe(source.versions['1.1.0']!.dist.integrity);
    expect(await versions(puller.url, 'other-pkg')).toEqual([]);

    // A later change at the remote arrives with a following pass.
    const dir = await publisher.writePackage({ name: '@acme/greet', version: '1.2.0', main: 'index.js' });
    expect((await publisher.npm(['publish'], dir)).code).toBe(0);
    expect((await publisher.npm(['dist-tag', 'add', '@acme/greet@1.1.0', 'stable'])).code).toBe(0);
    const later = await eventually(() => packument(puller!.url, '@acme/greet'), (p) => p?.versions['1.2.0'] !== undefined && p['dist-tags'].stable === '1.1.0', within);
    expect(later!['dist-tags']).toEqual({ latest: '1.2.0', stable: '1.1.0' });

    consumer = await npmSandbox(puller.url);
    const app = await consumer.writePackage({ name: 'app', version: '1.0.0', dependencies: { '@acme/greet': '1.0.0' } });
    const installed = await consumer.npm(['install'], app);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toContain('use 1.1');

    const state = (await (await fetch(`${puller.url}/api/replication`)).json() as { rules: RuleStatus[] }).rules[0]!;
    expect(state).toMatchObject({ name: 'pull', failures: [] });
    expect(state.copied).toBeGreaterThanOrEqual(3);
    // Each version a normal publish here: one audited push per version, by the rule.
    const audit = await readFile(path.join(puller.dataDir, 'audit.log'), 'utf8');
    expect(audit.match(/"identity":"replication:pull","action":"push","resource":"npm:@acme\/greet/g)).toHaveLength(3);
  });

  it('nora replicate --format npm --from <NORA> --to local/ publishes the missing versions into the store', { timeout: 300_000 }, async () => {
    const dataDir = path.join(work, 'cli-data');
    const args = ['replicate', '--format', 'npm', '--from', remote.url, '--to', 'local/', '--filter', 'other-pkg', '--json', '--data-dir', dataDir];
    const first = await runNora(args);
    expect(first.code, first.stderr).toBe(0);
    const summary = (text: string) => JSON.parse(text.trim().split('\n').pop()!) as { copied: number; skipped: number; failed: number };
    expect(summary(first.stdout)).toMatchObject({ copied: 1, failed: 0 });
    expect(await readFile(path.join(dataDir, 'audit.log'), 'utf8')).toMatch(/"identity":"replicate","action":"push","resource":"npm:other-pkg/);
    const again = await runNora(args);
    expect(summary(again.stdout)).toMatchObject({ copied: 0, skipped: 1, failed: 0 });
    expect((await runNora(['replicate', '--format', 'npm', '--from', remote.url, '--to', 'local/team/', '--data-dir', dataDir])).stderr).toContain('--to local/ takes no prefix');
    const server = await startNora({ dataDir });
    try {
      expect(await versions(server.url, 'other-pkg')).toEqual(['1.0.0']);
      expect(await versions(server.url, '@acme/greet')).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
