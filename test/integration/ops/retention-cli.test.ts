// `nora retention` in its own process beside a live server on the same data directory, with the
// rules in nora.toml: the dry run's list is exactly what the real run deletes, and afterwards the
// stock clients (skopeo, npm) see only what the rules keep.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { fetchHttp, pushImage } from '../../helpers/oci-client.js';
import { publish } from '../../helpers/npm-http.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';

const RULES = `[npm]
upstreams = []
[[retention.rules]]
match = "*/dev-*"
format = "oci"
keep_last = 2
[[retention.rules]]
match = "lib/*"
format = "npm"
keep_last = 1
`;

let dir: string;
let config: string;
let nora: NoraServer;
let skopeo: Skopeo;
let npm: NpmSandbox;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-retention-'));
  config = path.join(dir, 'nora.toml');
  await writeFile(config, RULES);
  nora = await startNora({ args: ['--config', config] });
  skopeo = await makeSkopeo();
  npm = await npmSandbox(nora.url);
});
afterAll(async () => {
  await nora.stop();
  await skopeo.cleanup();
  await npm.cleanup();
  await rm(dir, { recursive: true, force: true });
});

interface Report { dry_run: boolean; decisions: Array<Record<string, unknown>>; deleted: number; skipped: unknown[]; failed: unknown[]; bytes: number }

async function retention(...args: string[]): Promise<Report> {
  const result = await runNora(['retention', '--config', config, '--data-dir', nora.dataDir, '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Report;
}

describe('nora retention', () => {
  it('deletes exactly what the dry run listed; skopeo and npm see what the rules keep', async () => {
    const http = fetchHttp(nora.url);
    for (const tag of ['latest', 'dev-1', 'dev-2', 'dev-3', 'dev-4']) await pushImage(http, 'web', tag, { layers: [`web ${tag} layer`] });
    for (const version of ['1.0.0', '1.0.1', '1.0.2', '1.0.3']) expect((await publish(nora.url, 'lib', { version })).status).toBe(201);

    const dry = await retention('--dry-run');
    expect(dry.dry_run).toBe(true);
    expect(dry.decisions.map((d) => `${d.format} ${d.name} ${d.reference} ${d.reason}`)).toEqual([
      'oci web dev-1 keep_last = 2: 4th newest',
      'oci web dev-2 keep_last = 2: 3rd newest',
      'npm lib 1.0.0 keep_last = 1: 4th newest',
      'npm lib 1.0.1 keep_last = 1: 3rd newest',
      'npm lib 1.0.2 keep_last = 1: 2nd newest',
    ]);
    // Nothing changed yet.
    const before = JSON.parse(await skopeo.run('list-tags', '--tls-verify=false', `docker://${nora.url.replace('http://', '')}/web`)) as { Tags: string[] };
    expect(before.Tags.sort()).toEqual(['dev-1', 'dev-2', 'dev-3', 'dev-4', 'latest']);

    const real = await retention();
    expect(real.decisions).toEqual(dry.decisions);
    expect(real.bytes).toBe(dry.bytes);
    expect(real).toMatchObject({ dry_run: false, deleted: dry.decisions.length, skipped: [], failed: [] });

    const after = JSON.parse(await skopeo.run('list-tags', '--tls-verify=false', `docker://${nora.url.replace('http://', '')}/web`)) as { Tags: string[] };
    expect(after.Tags.sort()).toEqual(['dev-3', 'dev-4', 'latest']);
    const gone = await skopeo.attempt('inspect', '--tls-verify=false', `docker://${nora.url.replace('http://', '')}/web:dev-1`);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/manifest unknown/i);
    const versions = await npm.npm(['view', 'lib', 'versions', '--json']);
    expect(versions.code, versions.stderr).toBe(0);
    expect(JSON.parse(versions.stdout)).toEqual(['1.0.3']);

    // One audit line per deletion, by "retention".
    const { readFile } = await import('node:fs/promises');
    const audit = (await readFile(path.join(nora.dataDir, 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { identity?: string; action?: string });
    expect(audit.filter((l) => l.identity === 'retention').map((l) => l.action)).toEqual(dry.decisions.map(() => 'delete'));

    expect((await retention()).decisions).toEqual([]);
  });

  it('refuses a bad rule, naming its line', async () => {
    const bad = path.join(dir, 'bad.toml');
    await writeFile(bad, '[[retention.rules]]\nmatch = "*/*"\nkeep_last = 0\n');
    const result = await runNora(['retention', '--config', bad, '--data-dir', nora.dataDir, '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.toml:3: retention.rules[0].keep_last: keep_last = 0 deletes everything the rule matches; set allow_empty = true to mean it');
  });
});
