// A [[replication]] rule for every format between two NORA servers: images pushed to the source
// with skopeo, npm packages with npm, a Maven library with mvn deploy, a crate with cargo's
// publish protocol and wheels with twine are queued while the replica is unreachable (a proxy
// answering 503); the source is killed (SIGKILL) with the items waiting (some claimed by it),
// restarted on the same store, and drains its queue, the killed process's claims included: each
// version is published to the replica once, the counters kept
// in the store count everything across the restart, and the stock clients (skopeo, npm, mvn,
// cargo, pip) install every format from the replica. A deleted version is deleted there too.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoAvailable, runCargo } from '../../helpers/cargo-client.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { eventually } from '../../helpers/eventually.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { npmSandbox } from '../../helpers/npm-cli.js';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { wheel } from '../../helpers/pypi-dists.js';
import { createVenv, pip, twine, writeDists } from '../../helpers/python-clients.js';
import { seedImages, type SeededImages } from '../../helpers/replicate-fixtures.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';
import type { RuleStatus } from '../../../src/lib/ops/replicate/rules/replication-runner.js';
import { runMvn, settingsXml, writeConsumer, writeLibrary } from '../maven/mvn-project.js';

// No upstream (Maven Central, crates.io) behind either server: nothing here reaches the network.
const OFFLINE = { NORA_CARGO_UPSTREAM_INDEX: '', NORA_MAVEN_UPSTREAM: '' };
const within = { timeoutMs: 120_000, intervalMs: 250 };
/** How long a replication claim lasts unrenewed (replication-runner.ts): the items of a killed server wait that long. */
const CLAIM_MS = 60_000;
let work: string;
let dataDir: string;
let config: string;
let replica: NoraServer;
let proxy: FaultProxy;
let source: NoraServer;
let skopeo: Skopeo;
let images: SeededImages | undefined;

const rule = async () => (await (await fetch(`${source.url}/api/replication`)).json() as { rules: RuleStatus[] }).rules[0]!;
const npmVersions = async () => {
  const res = await fetch(`${replica.url}/npm/@acme%2fgreet`);
  return res.status === 200 ? Object.keys(((await res.json()) as { versions: Record<string, unknown> }).versions).sort() : [];
};

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-package-rules-'));
  dataDir = path.join(work, 'data');
  await mkdir(dataDir);
  replica = await startNora({ env: OFFLINE });
  proxy = await startFaultProxy(replica.url);
  config = path.join(work, 'nora.toml');
  await writeFile(config, `[[replication]]\nname = "dc2"\nremote = "${proxy.url}"\nformats = ["oci", "npm", "maven", "cargo", "pypi"]\ndelete = true\n`);
  source = await startNora({ args: ['--config', config], dataDir, env: OFFLINE });
  skopeo = await makeSkopeo();
}, 60_000);

afterAll(async () => {
  await source?.stop();
  await proxy?.close();
  await replica?.stop();
  await skopeo?.cleanup();
  await images?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('[[replication]] rules for every format', () => {
  it('queues every format while the replica is unreachable, survives a kill of the source, and the stock clients install from the replica', { timeout: 900_000 }, async () => {
    proxy.faults.push({ match: /./, status: 503 });
    const outageStarted = Date.now();

    // OCI with skopeo.
    images = await seedImages(skopeo, new URL(source.url).host);
    // npm with npm: two versions, a dist-tag, a deprecation.
    const publisher = await npmSandbox(source.url);
    for (const version of ['1.0.0', '1.1.0']) {
      const dir = await publisher.writePackage({ name: '@acme/greet', version, main: 'index.js' });
      expect((await publisher.npm(['publish'], dir)).code).toBe(0);
    }
    expect((await publisher.npm(['dist-tag', 'add', '@acme/greet@1.0.0', 'stable'])).code).toBe(0);
    expect((await publisher.npm(['deprecate', '@acme/greet@1.0.0', 'use 1.1'])).code).toBe(0);
    // Maven with mvn deploy.
    const settings = path.join(work, 'settings.xml');
    await writeFile(settings, settingsXml(`${source.url}/maven2/`));
    await writeLibrary(path.join(work, 'lib'), `${source.url}/maven2/`, '1.0.0', 'hello');
    const deployed = await runMvn(settings, path.join(work, 'lib'), path.join(work, 'm2-lib'), ['deploy', '-DskipTests']);
    expect(deployed.ok, deployed.output).toBe(true);
    // Cargo through its publish protocol, then a yank.
    for (const vers of ['0.1.0', '0.2.0']) {
      const published = await fetch(`${source.url}/cargo/api/v1/crates/new`, { method: 'PUT', body: frame(publishMetadata('nora-leaf', vers), fakeCrate('nora-leaf', vers)) });
      expect(published.status, await published.text()).toBe(200);
    }
    expect((await fetch(`${source.url}/cargo/api/v1/crates/nora-leaf/0.1.0/yank`, { method: 'DELETE' })).status).toBe(200);
    // PyPI with twine.
    const dists = await writeDists(path.join(work, 'dists'), [wheel({ name: 'nora-rule-lib', version: '1.0' })]);
    const uploaded = await twine(`${source.url}/pypi/`, dists);
    expect(uploaded.code, uploaded.stderr + uploaded.stdout).toBe(0);

    const failing = await eventually(rule, (r) => r.failures.length > 0 && r.failed > 0, within);
    expect(failing.pending).toBeGreaterThan(0);
    expect(failing.failures[0]!.reason).toMatch(/503/);

    // Killed with its queue waiting; restarted on the same store with the replica reachable.
    source.process.kill('SIGKILL');
    await source.stop({ keepData: true });
    const failedBefore = failing.failed;
    proxy.faults.length = 0;
    const sentBefore = proxy.requests.length;
    source = await startNora({ args: ['--config', config], dataDir, env: OFFLINE });
    // Items the killed source had claimed come back when their claim (60 s, no longer renewed)
    // expires. The queue's backoff doubles per failed attempt, so the next retry can be as far
    // away as the outage was long (longer on a loaded machine, where the pushes above take longer).
    const outageMs = Date.now() - outageStarted;
    const drained = await eventually(rule, (r) => r.pending === 0 && r.failures.length === 0, { timeoutMs: Math.max(within.timeoutMs, 2 * outageMs + CLAIM_MS + 60_000), intervalMs: 500 });
    // Asserted, not assumed: `eventually` hands back its last value on timeout. Without this, items
    // still claimed by the killed source passed for a drain and were later taken for "phantoms".
    expect(drained, JSON.stringify(drained)).toMatchObject({ pending: 0, failures: [] });
    // Counters come from the store: the failures before the kill are still counted.
    expect(drained.failed, JSON.stringify(drained)).toBeGreaterThanOrEqual(failedBefore);
    expect(drained.copied, JSON.stringify(drained)).toBeGreaterThanOrEqual(4 + 2 + 1 + 2 + 1);
    expect(drained.bytes).toBeGreaterThan(3 * 1024 * 1024);
    // The CLI shows the same counters, and nothing queued behind the drain.
    const cli = await runNora(['replicate', 'status', '--server', source.url, '--json']);
    expect((JSON.parse(cli.stdout) as { rules: RuleStatus[] }).rules[0]).toMatchObject({ name: 'dc2', copied: drained.copied, pending: 0 });

    // Nothing published twice after the restart: one publish per npm version, per crate, per wheel.
    const after = proxy.requests.slice(sentBefore);
    expect(after.filter((r) => /^PUT \/npm\/@acme%2fgreet$/.test(r))).toHaveLength(2);
    expect(after.filter((r) => r === 'PUT /cargo/api/v1/crates/new')).toHaveLength(2);
    expect(after.filter((r) => r === 'POST /pypi/')).toHaveLength(1);

    // skopeo: every image with the source's digest.
    for (const [ref, digest] of Object.entries(images.digests)) {
      const raw = await skopeo.run('inspect', '--raw', '--tls-verify=false', `docker://${new URL(replica.url).host}/${ref}`);
      expect(`sha256:${(await import('node:crypto')).createHash('sha256').update(raw).digest('hex')}`).toBe(digest);
    }
    // npm: the tags and the deprecation, installed by npm.
    expect(await npmVersions()).toEqual(['1.0.0', '1.1.0']);
    const consumer = await npmSandbox(replica.url);
    const info = JSON.parse((await consumer.npm(['view', '@acme/greet', '--json'])).stdout) as { 'dist-tags': Record<string, string> };
    expect(info['dist-tags']).toEqual({ latest: '1.1.0', stable: '1.0.0' });
    const app = await consumer.writePackage({ name: 'app', version: '1.0.0', dependencies: { '@acme/greet': 'stable' } });
    const installed = await consumer.npm(['install'], app);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toContain('use 1.1');
    // mvn builds a consumer of the library from the replica.
    await writeFile(path.join(work, 'settings-replica.xml'), settingsXml(`${replica.url}/maven2/`));
    await writeConsumer(path.join(work, 'app'), `${replica.url}/maven2/`);
    const built = await runMvn(path.join(work, 'settings-replica.xml'), path.join(work, 'app'), path.join(work, 'm2-app'), ['package', '-DskipTests', '-Dgreeter.version=1.0.0']);
    expect(built.ok, built.output).toBe(true);
    // cargo resolves the crate from the replica, skipping the yanked version.
    if (cargoAvailable()) {
      const home = path.join(work, 'cargo-home');
      const crateApp = path.join(work, 'cargo-app');
      await mkdir(path.join(crateApp, 'src'), { recursive: true });
      await mkdir(home, { recursive: true });
      await writeFile(path.join(home, 'config.toml'), `[registries.replica]\nindex = "sparse+${replica.url}/cargo/index/"\ncredential-provider = "cargo:token"\n`);
      await writeFile(path.join(crateApp, 'Cargo.toml'), '[package]\nname = "leaf-app"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nnora-leaf = { version = ">=0.1", registry = "replica" }\n');
      await writeFile(path.join(crateApp, 'src/main.rs'), 'fn main() {}\n');
      const cargo = await runCargo(['build', '-q'], { cwd: crateApp, home, env: { CARGO_TARGET_DIR: path.join(work, 'cargo-target') } });
      expect(cargo.code, cargo.stderr).toBe(0);
      expect(await readFile(path.join(crateApp, 'Cargo.lock'), 'utf8')).toMatch(/name = "nora-leaf"\nversion = "0.2.0"/);
    }
    // pip installs the wheel from the replica.
    const python = await createVenv(path.join(work, 'venv'));
    const pipped = await pip(python, ['install', '--index-url', `${replica.url}/simple/`, 'nora-rule-lib']);
    expect(pipped.code, pipped.stderr).toBe(0);
    expect(pipped.stdout).toContain('nora-rule-lib-1.0');

    // The counters are the store's: a restarted server reports the same.
    await source.stop({ keepData: true });
    source = await startNora({ args: ['--config', config], dataDir, env: OFFLINE });
    expect(await rule()).toMatchObject({ copied: drained.copied, failed: drained.failed, bytes: drained.bytes, pending: 0 });
  });

  it('propagates a deleted package version with delete = true', { timeout: 120_000 }, async () => {
    const deleted = await fetch(`${source.url}/api/artifacts?ref=${encodeURIComponent('npm:@acme/greet@1.0.0')}`, { method: 'DELETE' });
    expect(deleted.status, await deleted.text()).toBe(200);
    expect(await eventually(npmVersions, (v) => v.length === 1, within)).toEqual(['1.1.0']);
    const maven = await fetch(`${source.url}/api/artifacts?ref=${encodeURIComponent('maven:org.example.nora:greeter@1.0.0')}`, { method: 'DELETE' });
    expect(maven.status, await maven.text()).toBe(200);
    const jar = `${replica.url}/maven2/org/example/nora/greeter/1.0.0/greeter-1.0.0.jar`;
    expect(await eventually(async () => (await fetch(jar, { method: 'HEAD' })).status, (s) => s === 404, within)).toBe(404);
  });
});
