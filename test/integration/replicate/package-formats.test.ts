// `nora replicate --format npm|maven|cargo|pypi --from local/ --to <NORA URL>`: packages
// published to one NORA with the stock clients (npm, mvn) or their wire protocol (cargo, twine's
// form) are pushed from its store to a second NORA with their tags, deprecations and yank
// state; then the stock clients install from the replica, and a re-run sends nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoAvailable, runCargo } from '../../helpers/cargo-client.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { npmSandbox } from '../../helpers/npm-cli.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';
import { createVenv, pip } from '../../helpers/python-clients.js';
import { replicate } from '../../helpers/replicate-fixtures.js';
import { runMvn, settingsXml, writeConsumer, writeLibrary } from '../maven/mvn-project.js';

// No upstream (Maven Central, crates.io) behind either server: nothing here reaches the network.
const OFFLINE = { NORA_CARGO_UPSTREAM_INDEX: '', NORA_MAVEN_UPSTREAM: '' };
let source: NoraServer;
let replica: NoraServer;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-replicate-formats-'));
  [source, replica] = await Promise.all([startNora({ env: OFFLINE }), startNora({ env: OFFLINE })]);
});

afterAll(async () => {
  await source?.stop();
  await replica?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const push = (format: string, ...extra: string[]) => replicate(['--format', format, '--from', 'local/', '--to', replica.url, '--data-dir', source.dataDir, ...extra]);

describe('replicate package formats to a remote NORA', () => {
  it('npm: versions, dist-tags and deprecations; npm installs from the replica', { timeout: 120_000 }, async () => {
    const publisher = await npmSandbox(source.url);
    for (const version of ['1.0.0', '1.1.0']) {
      const dir = await publisher.writePackage({ name: '@acme/greet', version, main: 'index.js' });
      expect((await publisher.npm(['publish'], dir)).code).toBe(0);
    }
    expect((await publisher.npm(['dist-tag', 'add', '@acme/greet@1.0.0', 'stable'])).code).toBe(0);
    const deprecated = await publisher.npm(['deprecate', '@acme/greet@1.0.0', 'use 1.1']);
    expect(deprecated.code, deprecated.stderr).toBe(0);

    const dry = await push('npm', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.summary).toMatchObject({ copied: 2, failed: 0 });
    expect((await fetch(`${replica.url}/npm/@acme%2fgreet`)).status).toBe(404);

    const run = await push('npm');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 2, failed: 0 });
    const consumer = await npmSandbox(replica.url);
    const view = await consumer.npm(['view', '@acme/greet', '--json']);
    const info = JSON.parse(view.stdout) as { 'dist-tags': Record<string, string>; versions: string[] };
    expect(info['dist-tags']).toEqual({ latest: '1.1.0', stable: '1.0.0' });
    const old = JSON.parse((await consumer.npm(['view', '@acme/greet@1.0.0', '--json'])).stdout) as { deprecated?: string };
    expect(old.deprecated).toBe('use 1.1');
    const app = await consumer.writePackage({ name: 'app', version: '1.0.0', dependencies: { '@acme/greet': 'stable' } });
    const installed = await consumer.npm(['install'], app);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toContain('use 1.1');
    expect(JSON.parse(await (await import('node:fs/promises')).readFile(path.join(app, 'node_modules/@acme/greet/package.json'), 'utf8')).version).toBe('1.0.0');

    const again = await push('npm');
    expect(again.summary).toMatchObject({ copied: 0, skipped: 2, failed: 0, bytes: 0 });
  });

  it('maven: files with checksums; mvn builds a consumer from the replica', { timeout: 240_000 }, async () => {
    const settings = path.join(work, 'settings.xml');
    const lib = path.join(work, 'lib');
    await writeFile(settings, settingsXml(`${source.url}/maven2/`));
    await writeLibrary(lib, `${source.url}/maven2/`, '1.0.0', 'hello');
    const deployed = await runMvn(settings, lib, path.join(work, 'm2-lib'), ['deploy', '-DskipTests']);
    expect(deployed.ok, deployed.output).toBe(true);

    const run = await push('maven');
    expect(run.code, run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 1, failed: 0 });
    const jar = `${replica.url}/maven2/org/example/nora/greeter/1.0.0/greeter-1.0.0.jar`;
    const [here, there] = await Promise.all([fetch(jar.replace(replica.url, source.url)), fetch(jar)]);
    expect(Buffer.from(await there.arrayBuffer()).equals(Buffer.from(await here.arrayBuffer()))).toBe(true);
    expect((await (await fetch(`${jar}.sha1`)).text()).trim()).toMatch(/^[0-9a-f]{40}$/);

    const consumerSettings = path.join(work, 'settings-replica.xml');
    const app = path.join(work, 'app');
    await writeFile(consumerSettings, settingsXml(`${replica.url}/maven2/`));
    await writeConsumer(app, `${replica.url}/maven2/`);
    const built = await runMvn(consumerSettings, app, path.join(work, 'm2-app'), ['package', '-DskipTests', '-Dgreeter.version=1.0.0']);
    expect(built.ok, built.output).toBe(true);
    expect((await push('maven')).summary).toMatchObject({ copied: 0, skipped: 1 });
  });

  it.skipIf(!cargoAvailable())('cargo: crates with their index entries and yank state; cargo builds from the replica', { timeout: 240_000 }, async () => {
    for (const vers of ['0.1.0', '0.2.0']) {
      const published = await fetch(`${source.url}/cargo/api/v1/crates/new`, { method: 'PUT', body: frame(publishMetadata('nora-leaf', vers), fakeCrate('nora-leaf', vers)) });
      expect(published.status, await published.text()).toBe(200);
    }
    expect((await fetch(`${source.url}/cargo/api/v1/crates/nora-leaf/0.1.0/yank`, { method: 'DELETE' })).status).toBe(200);

    const run = await push('cargo');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 2, failed: 0 });
    const lines = (await (await fetch(`${replica.url}/cargo/index/no/ra/nora-leaf`)).text()).trim().split('\n').map((l) => JSON.parse(l) as { vers: string; yanked: boolean; cksum: string });
    const sourceLines = (await (await fetch(`${source.url}/cargo/index/no/ra/nora-leaf`)).text()).trim().split('\n').map((l) => JSON.parse(l) as { vers: string; yanked: boolean; cksum: string });
    expect(lines.map((l) => [l.vers, l.yanked, l.cksum])).toEqual(sourceLines.map((l) => [l.vers, l.yanked, l.cksum]));
    expect(lines.find((l) => l.vers === '0.1.0')!.yanked).toBe(true);

    const home = path.join(work, 'cargo-home');
    const app = path.join(work, 'cargo-app');
    await (await import('node:fs/promises')).mkdir(path.join(app, 'src'), { recursive: true });
    await (await import('node:fs/promises')).mkdir(home, { recursive: true });
    await writeFile(path.join(home, 'config.toml'), `[registries.replica]\nindex = "sparse+${replica.url}/cargo/index/"\ncredential-provider = "cargo:token"\n`);
    await writeFile(path.join(app, 'Cargo.toml'), '[package]\nname = "leaf-app"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nnora-leaf = { version = ">=0.1", registry = "replica" }\n');
    await writeFile(path.join(app, 'src/main.rs'), 'fn main() {}\n');
    const built = await runCargo(['build', '-q'], { cwd: app, home, env: { CARGO_TARGET_DIR: path.join(work, 'cargo-target') } });
    expect(built.code, built.stderr).toBe(0);
    // The yanked 0.1.0 is not chosen for a new lockfile.
    expect(await (await import('node:fs/promises')).readFile(path.join(app, 'Cargo.lock'), 'utf8')).toMatch(/name = "nora-leaf"\nversion = "0.2.0"/);
  });

  it('pypi: files with metadata and yank state; pip installs from the replica', { timeout: 240_000 }, async () => {
    for (const version of ['1.0', '1.1']) {
      const dist = wheel({ name: 'nora-replica-lib', version });
      const { body, contentType } = uploadForm(twineFields({ name: 'nora-replica-lib', version }, dist), dist);
      expect((await fetch(`${source.url}/pypi/`, { method: 'POST', body, headers: { 'content-type': contentType } })).status).toBe(200);
    }
    const yank = await fetch(`${source.url}/api/yank?ref=${encodeURIComponent('pypi:nora-replica-lib@1.1')}&yanked=true`, { method: 'POST' });
    expect(yank.status, await yank.text()).toBe(200);

    const run = await push('pypi');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 2, failed: 0 });
    const page = await (await fetch(`${replica.url}/simple/nora-replica-lib/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json() as { files: Array<{ filename: string; yanked: unknown; hashes: Record<string, string>; 'core-metadata'?: unknown }> };
    const sourcePage = await (await fetch(`${source.url}/simple/nora-replica-lib/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json() as typeof page;
    expect(page.files.map((f) => [f.filename, f.hashes.sha256, f.yanked !== false, f['core-metadata'] !== undefined]))
      .toEqual(sourcePage.files.map((f) => [f.filename, f.hashes.sha256, f.yanked !== false, f['core-metadata'] !== undefined]));

    const python = await createVenv(path.join(work, 'venv'));
    const installed = await pip(python, ['install', '--index-url', `${replica.url}/simple/`, 'nora-replica-lib']);
    expect(installed.code, installed.stderr).toBe(0);
    // 1.1 is yanked on the replica too: an unpinned install takes 1.0.
    expect(installed.stdout).toContain('nora-replica-lib-1.0');
  });
});
