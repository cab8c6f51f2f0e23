// Pulling Maven, Cargo and PyPI packages from a remote NORA into this store: packages published
// on the remote with the stock clients (mvn deploy, twine upload) and cargo's publish protocol
// are copied by `nora replicate --format X --from <NORA> --to local/` and by a pull rule, each
// through this store's own publish path (one audited push by the rule per copy); mvn, cargo and
// pip then install from the pulling side, a re-run copies nothing, and a remote whose stored
// bytes were corrupted on disk is refused: nothing of those versions is stored here.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoAvailable, runCargo } from '../../helpers/cargo-client.js';
import { dep, fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { eventually } from '../../helpers/eventually.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { wheel } from '../../helpers/pypi-dists.js';
import { createVenv, pip, twine, writeDists } from '../../helpers/python-clients.js';
import { replicate } from '../../helpers/replicate-fixtures.js';
import { runMvn, settingsXml, writeConsumer, writeLibrary } from '../maven/mvn-project.js';
import type { RuleStatus } from '../../../src/lib/ops/replicate/rules/replication-runner.js';

// No upstream (Maven Central, crates.io) behind any server: nothing here reaches the network.
const OFFLINE = { NORA_CARGO_UPSTREAM_INDEX: '', NORA_MAVEN_UPSTREAM: '' };
const within = { timeoutMs: 180_000, intervalMs: 250 };
let work: string;
let remote: NoraServer;
let tampered: NoraServer;
let puller: NoraServer | undefined;

const pull = (format: string, from: string, dataDir: string, ...extra: string[]) => replicate(['--format', format, '--from', from, '--to', 'local/', '--data-dir', dataDir, ...extra], OFFLINE);

async function publishCrate(base: string, name: string, vers: string, extra: Record<string, unknown> = {}): Promise<void> {
  const published = await fetch(`${base}/cargo/api/v1/crates/new`, { method: 'PUT', body: frame(publishMetadata(name, vers, extra), fakeCrate(name, vers)) });
  expect(published.status, await published.text()).toBe(200);
}

async function deployGreeter(base: string, version: string): Promise<void> {
  const settings = path.join(work, `settings-${version}.xml`);
  const lib = path.join(work, `lib-${version}`);
  await writeFile(settings, settingsXml(`${base}/maven2/`));
  await writeLibrary(lib, `${base}/maven2/`, version, 'hello');
  const deployed = await runMvn(settings, lib, path.join(work, 'm2-lib'), ['deploy', '-DskipTests']);
  expect(deployed.ok, deployed.output).toBe(true);
}

async function uploadWheels(base: string, name: string, versions: string[]): Promise<void> {
  const files = await writeDists(path.join(work, `dists-${name}`), versions.map((version) => wheel({ name, version })));
  const uploaded = await twine(`${base}/pypi/`, files);
  expect(uploaded.code, uploaded.stderr + uploaded.stdout).toBe(0);
}

/** Every stored blob of a data directory, each byte inverted (same length, other digest). */
async function corruptBlobs(dataDir: string): Promise<number> {
  let count = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if ((await stat(full)).size > 0) {
        const bytes = await readFile(full);
        for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xff;
        await writeFile(full, bytes);
        count++;
      }
    }
  };
  await walk(path.join(dataDir, 'blobs'));
  return count;
}

const indexLines = async (base: string, crate: string) => {
  const res = await fetch(`${base}/cargo/index/${crate.slice(0, 2)}/${crate.slice(2, 4)}/${crate}`);
  return res.status === 200 ? (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { vers: string; yanked: boolean; cksum: string; deps: Array<{ name: string }> }) : [];
};
const simpleFiles = async (base: string, project: string) => {
  const res = await fetch(`${base}/simple/${project}/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
  return res.status === 200 ? ((await res.json()) as { files: Array<{ filename: string; yanked: unknown; hashes: { sha256: string }; 'core-metadata'?: unknown }> }).files : [];
};

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-package-pull-'));
  [remote, tampered] = await Promise.all([startNora({ env: OFFLINE }), startNora({ env: OFFLINE })]);
  await deployGreeter(remote.url, '1.0.0');
  await deployGreeter(remote.url, '1.1.0');
  await publishCrate(remote.url, 'nora-base', '0.1.0');
  await publishCrate(remote.url, 'nora-base', '0.2.0');
  expect((await fetch(`${remote.url}/cargo/api/v1/crates/nora-base/0.1.0/yank`, { method: 'DELETE' })).status).toBe(200);
  // Listed before nora-base by name: the pull must publish nora-base first.
  await publishCrate(remote.url, 'nora-app-top', '0.1.0', { deps: [dep({ name: 'nora-base', version_req: '^0.2' })], description: 'the top crate' });
  await uploadWheels(remote.url, 'nora-pulled-lib', ['1.0', '1.1']);
  expect((await fetch(`${remote.url}/api/yank?ref=${encodeURIComponent('pypi:nora-pulled-lib@1.1')}&yanked=true`, { method: 'POST' })).status).toBe(200);

  await deployGreeter(tampered.url, '2.0.0');
  await publishCrate(tampered.url, 'nora-bad', '0.1.0');
  await uploadWheels(tampered.url, 'nora-bad-lib', ['1.0']);
  expect(await corruptBlobs(tampered.dataDir)).toBeGreaterThanOrEqual(3);
  // The .crate becomes another valid .crate of the same length: only the index cksum can tell.
  const [line] = await indexLines(tampered.url, 'nora-bad');
  const stored = path.join(tampered.dataDir, 'blobs/sha256', line!.cksum.slice(0, 2), line!.cksum);
  const size = (await stat(stored)).size;
  let other = fakeCrate('nora-bad', '0.1.0');
  for (let tries = 0; other.length !== size && tries < 10_000; tries++) other = fakeCrate('nora-bad', '0.1.0');
  expect(other.length).toBe(size);
  await writeFile(stored, other);
}, 300_000);

afterAll(async () => {
  await puller?.stop();
  await remote?.stop();
  await tampered?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('nora replicate --from <NORA> --to local/ for Maven, Cargo and PyPI', () => {
  it('maven: every file deployed here, checked against the remote\'s checksums; mvn builds from the pulled store', { timeout: 300_000 }, async () => {
    const dataDir = path.join(work, 'maven-data');
    const run = await pull('maven', remote.url, dataDir);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 2, failed: 0 });
    expect(await readFile(path.join(dataDir, 'audit.log'), 'utf8')).toMatch(/"identity":"replicate","action":"push","resource":"maven:org\/example\/nora\/greeter/);
    const again = await pull('maven', remote.url, dataDir);
    expect(again.summary).toMatchObject({ copied: 0, skipped: 2, failed: 0, bytes: 0 });

    const server = await startNora({ dataDir, env: OFFLINE });
    try {
      const jar = '/maven2/org/example/nora/greeter/1.1.0/greeter-1.1.0.jar';
      const [here, there] = await Promise.all([fetch(`${server.url}${jar}`), fetch(`${remote.url}${jar}`)]);
      expect(Buffer.from(await here.arrayBuffer()).equals(Buffer.from(await there.arrayBuffer()))).toBe(true);
      const settings = path.join(work, 'settings-pulled.xml');
      const app = path.join(work, 'maven-app');
      await writeFile(settings, settingsXml(`${server.url}/maven2/`));
      await writeConsumer(app, `${server.url}/maven2/`);
      const built = await runMvn(settings, app, path.join(work, 'm2-app'), ['package', '-DskipTests', '-Dgreeter.version=1.1.0']);
      expect(built.ok, built.output).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it.skipIf(!cargoAvailable())('cargo: crates published here dependencies first, with yank state and descriptions; cargo builds from the pulled store', { timeout: 300_000 }, async () => {
    const dataDir = path.join(work, 'cargo-data');
    const run = await pull('cargo', remote.url, dataDir);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 3, failed: 0 });
    expect((await pull('cargo', remote.url, dataDir)).summary).toMatchObject({ copied: 0, skipped: 3, failed: 0 });

    const server = await startNora({ dataDir, env: OFFLINE });
    try {
      for (const crate of ['nora-base', 'nora-app-top']) {
        const [here, there] = await Promise.all([indexLines(server.url, crate), indexLines(remote.url, crate)]);
        expect(here).toEqual(there);
      }
      expect((await indexLines(server.url, 'nora-base')).map((l) => [l.vers, l.yanked])).toEqual([['0.1.0', true], ['0.2.0', false]]);
      const info = await (await fetch(`${server.url}/cargo/api/v1/crates/nora-app-top`)).json() as { crate: { description: string } };
      expect(info.crate.description).toBe('the top crate');

      const home = path.join(work, 'cargo-home');
      const app = path.join(work, 'cargo-app');
      await mkdir(path.join(app, 'src'), { recursive: true });
      await mkdir(home, { recursive: true });
      await writeFile(path.join(home, 'config.toml'), `[registries.pulled]\nindex = "sparse+${server.url}/cargo/index/"\ncredential-provider = "cargo:token"\n`);
      await writeFile(path.join(app, 'Cargo.toml'), '[package]\nname = "pull-app"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nnora-app-top = { version = "0.1", registry = "pulled" }\n');
      await writeFile(path.join(app, 'src/main.rs'), 'fn main() {}\n');
      const built = await runCargo(['build', '-q'], { cwd: app, home, env: { CARGO_TARGET_DIR: path.join(work, 'cargo-target') } });
      expect(built.code, built.stderr).toBe(0);
      expect(await readFile(path.join(app, 'Cargo.lock'), 'utf8')).toMatch(/name = "nora-base"\nversion = "0.2.0"/);
    } finally {
      await server.stop();
    }
  });

  it('pypi: files uploaded here with their hashes, PEP 658 metadata and yank state; pip installs from the pulled store', { timeout: 300_000 }, async () => {
    const dataDir = path.join(work, 'pypi-data');
    const run = await pull('pypi', remote.url, dataDir);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 2, failed: 0 });
    expect((await pull('pypi', remote.url, dataDir)).summary).toMatchObject({ copied: 0, skipped: 2, failed: 0 });

    const server = await startNora({ dataDir, env: OFFLINE });
    try {
      const shape = (files: Awaited<ReturnType<typeof simpleFiles>>) => files.map((f) => [f.filename, f.hashes.sha256, f.yanked !== false, f['core-metadata'] !== undefined]);
      expect(shape(await simpleFiles(server.url, 'nora-pulled-lib'))).toEqual(shape(await simpleFiles(remote.url, 'nora-pulled-lib')));
      const python = await createVenv(path.join(work, 'venv'));
      const installed = await pip(python, ['install', '--index-url', `${server.url}/simple/`, 'nora-pulled-lib']);
      expect(installed.code, installed.stderr).toBe(0);
      // 1.1 is yanked here too: an unpinned install takes 1.0.
      expect(installed.stdout).toContain('nora-pulled-lib-1.0');
    } finally {
      await server.stop();
    }
  });

  it('refuses what does not match the remote\'s checksums and stores nothing of it', { timeout: 300_000 }, async () => {
    const dataDir = path.join(work, 'tampered-data');
    for (const [format, name] of [['maven', 'org.example.nora:greeter'], ['cargo', 'nora-bad'], ['pypi', 'nora-bad-lib']] as const) {
      const run = await pull(format, tampered.url, dataDir, '--retries', '1');
      expect(run.code, `${format}: ${run.stdout}`).toBe(1);
      expect(run.summary, `${format}: ${JSON.stringify(run.summary)}`).toMatchObject({ copied: 0, failed: 1 });
      expect(run.summary.failures[0]!.artifact, format).toContain(name);
      expect(run.summary.failures[0]!.reason, JSON.stringify(run.summary.failures)).toMatch(/mismatch|does not match|digest/i);
    }
    const server = await startNora({ dataDir, env: OFFLINE });
    try {
      const listed = await (await fetch(`${server.url}/api/artifacts`)).json() as { items: unknown[] };
      expect(listed.items).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('a pull rule for Maven, Cargo and PyPI', () => {
  it('copies the remote\'s packages on its schedule, each a push by the rule, and a later pass copies nothing again', { timeout: 300_000 }, async () => {
    const config = path.join(work, 'nora.toml');
    await writeFile(config, `[[replication]]\nname = "pull"\ndirection = "pull"\ntrigger = "schedule"\nschedule = "* * * * * *"\nremote = "${remote.url}"\nformats = ["maven", "cargo", "pypi"]\n`);
    puller = await startNora({ args: ['--config', config], env: OFFLINE });
    const versions = async () => ((await (await fetch(`${puller!.url}/api/artifacts`)).json()) as { items: Array<{ type: string; name: string; version: string }> }).items.map((i) => `${i.type}:${i.name}@${i.version}`).sort();
    const all = ['cargo:nora-app-top@0.1.0', 'cargo:nora-base@0.1.0', 'cargo:nora-base@0.2.0', 'maven:org.example.nora:greeter@1.0.0', 'maven:org.example.nora:greeter@1.1.0', 'pypi:nora-pulled-lib@1.0', 'pypi:nora-pulled-lib@1.1'];
    expect(await eventually(versions, (v) => v.length === all.length, within)).toEqual(all);
    const status = async () => ((await (await fetch(`${puller!.url}/api/replication`)).json()) as { rules: Array<Omit<RuleStatus, 'lastRun'> & { last_run?: string }> }).rules[0]!;
    // Passes keep running every second: wait for one that starts after everything was there.
    const first = await eventually(status, (s) => s.copied >= all.length && s.last_run !== undefined, within);
    const later = await eventually(status, (s) => s.last_run! > first.last_run!, within);
    expect(later).toMatchObject({ name: 'pull', failures: [], failed: 0 });
    expect(later.copied).toBe(all.length);
    const audit = await readFile(path.join(puller.dataDir, 'audit.log'), 'utf8');
    expect(audit.match(/"identity":"replication:pull","action":"push","resource":"cargo:/g)).toHaveLength(3);
    expect(audit.match(/"identity":"replication:pull","action":"push","resource":"pypi:/g)).toHaveLength(2);
    expect(audit).toMatch(/"identity":"replication:pull","action":"push","resource":"maven:org\/example\/nora\/greeter/);
  });
});
