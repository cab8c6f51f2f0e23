// Three `nora serve` on one Ceph RGW bucket, driven by the stock clients with each client pointed
// at a different node: cargo publishes, Maven SNAPSHOT deploys and twine uploads of one package at
// once lose nothing and duplicate nothing (every format's package document is a compare-and-swap
// on the bucket), and what one node took, every node serves byte for byte.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCargo } from '../../helpers/cargo-client.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { clientGate } from '../../helpers/clients.js';
import { startCluster, type NoraCluster } from '../../helpers/nora-cluster.js';
import { sha256, wheel, zip } from '../../helpers/pypi-dists.js';
import { twine, writeDists } from '../../helpers/python-clients.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { runMvn, settingsXml } from '../maven/mvn-project.js';

const gate = clientGate('cargo', 'mvn', 'twine');
let cluster: NoraCluster;
let work: string;
const NODES = [0, 1, 2];
const DEPLOY_PLUGIN = (JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'scripts', 'ci', 'clients.json'), 'utf8')) as { maven_plugins: { deploy: string } }).maven_plugins.deploy;

describe.skipIf(gate.skip)(gate.title('cargo, mvn and twine across three nodes on one bucket'), () => {
  beforeAll(async () => {
    cluster = await startCluster(3, { env: { NORA_CARGO_UPSTREAM_INDEX: '', NORA_MAVEN_UPSTREAM: '', NORA_PYPI_UPSTREAM: '' } });
    work = await mkdtemp(path.join(os.tmpdir(), 'nora-multinode-formats-'));
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const url = (node: number) => cluster.nodes[node]!.url;

  it('cargo publishes 6 versions of one crate at once through the three nodes: every index lists each once', { timeout: 240_000 }, async () => {
    const versions = Array.from({ length: 6 }, (_, i) => `0.1.${i}`);
    const results = await Promise.all(versions.map(async (version, i) => {
      const node = i % 3;
      const home = path.join(work, `cargo-home-${i}`);
      const crate = path.join(work, `crate-${i}`);
      await mkdir(path.join(crate, 'src'), { recursive: true });
      await mkdir(home, { recursive: true });
      await writeFile(path.join(home, 'config.toml'), `[registries.nora]\nindex = "sparse+${url(node)}/cargo/index/"\ncredential-provider = "cargo:token"\n`);
      await writeFile(path.join(crate, 'Cargo.toml'), `[package]\nname = "cluster-crate"\nversion = "${version}"\nedition = "2021"\ndescription = "published through node ${node}"\nlicense = "MIT"\npublish = ["nora"]\n`);
      await writeFile(path.join(crate, 'src', 'lib.rs'), `pub const VERSION: &str = "${version}";\n`);
      return runCargo(['publish', '--registry', 'nora', '--no-verify', '--allow-dirty'], { cwd: crate, home, env: { CARGO_REGISTRIES_NORA_TOKEN: 'nora-test-token', CARGO_TARGET_DIR: path.join(work, `cargo-target-${i}`) } });
    }));
    expect(results.map((r) => (r.code === 0 ? 0 : r.stderr))).toEqual(versions.map(() => 0));
    for (const node of NODES) {
      const index = await rawRequest(url(node), '/cargo/index/cl/us/cluster-crate');
      expect(index.status).toBe(200);
      const lines = index.text.trim().split('\n').map((line) => JSON.parse(line) as { vers: string; cksum: string });
      expect(lines.map((line) => line.vers).sort()).toEqual(versions);
      // Each .crate, fetched from a node other than the one that took it, matches its index checksum.
      for (const line of lines) {
        const download = await fetch(`${url((node + 1) % 3)}/cargo/api/v1/crates/cluster-crate/${line.vers}/download`);
        expect(download.status).toBe(200);
        expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(line.cksum);
      }
    }
  });

  it('the same crate version published on two nodes at once: one wins, the other is refused, the index has it once', async () => {
    const body = frame(publishMetadata('cluster-twice', '1.0.0'), fakeCrate('cluster-twice', '1.0.0'));
    const results = await Promise.all([0, 1].map((node) => rawRequest(url(node), '/cargo/api/v1/crates/new', { method: 'PUT', body })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(results.find((r) => r.status === 400)!.text).toMatch(/already exists/);
    const index = await rawRequest(url(2), '/cargo/index/cl/us/cluster-twice');
    expect(index.text.trim().split('\n')).toHaveLength(1);
  });

  it('mvn deploys three SNAPSHOT versions at once, then one SNAPSHOT through each node in turn: builds 1, 2, 3', { timeout: 300_000 }, async () => {
    // deploy-file: the real mvn deploy (metadata read, timestamped build, upload, metadata
    // written) without a compile, so six JVMs fit in CI time.
    const jars = new Map<string, Buffer>();
    const deploy = async (node: number, version: string, name: string) => {
      const dir = path.join(work, `mvn-${name}`);
      await mkdir(dir, { recursive: true });
      const jar = path.join(dir, 'greeter.jar');
      jars.set(name, zip([['greeting.txt', `hello from node ${node}, ${name}`]]));
      await writeFile(jar, jars.get(name)!);
      const settings = path.join(dir, 'settings.xml');
      await writeFile(settings, settingsXml(`${url(node)}/maven2/`));
      return runMvn(settings, dir, path.join(work, `m2-${name}`), [
        `org.apache.maven.plugins:maven-deploy-plugin:${DEPLOY_PLUGIN}:deploy-file`, `-Dfile=${jar}`, '-DgroupId=org.example.nora', '-DartifactId=greeter',
        `-Dversion=${version}`, '-Dpackaging=jar', '-DrepositoryId=nora', `-Durl=${url(node)}/maven2/`,
      ]);
    };
    const base = (node: number) => `${url(node)}/maven2/org/example/nora/greeter`;

    // Three versions of one artifact at once: one artifact document, three writers.
    const concurrent = await Promise.all(NODES.map((node) => deploy(node, `1.0.${node}-SNAPSHOT`, `c${node}`)));
    expect(concurrent.map((r) => (r.ok ? 'ok' : r.output))).toEqual(['ok', 'ok', 'ok']);
    for (const node of NODES) {
      const metadata = await (await fetch(`${base(node)}/maven-metadata.xml`)).text();
      for (const v of NODES) expect(metadata).toContain(`<version>1.0.${v}-SNAPSHOT</version>`);
    }

    // One SNAPSHOT through node 0, 1, 2 in turn: each mvn reads the build number the previous
    // node wrote and deploys the next one.
    for (const node of NODES) {
      const result = await deploy(node, '2.0-SNAPSHOT', `s${node}`);
      expect(result.ok, result.output).toBe(true);
    }
    for (const node of NODES) {
      const metadata = await (await fetch(`${base(node)}/2.0-SNAPSHOT/maven-metadata.xml`)).text();
      expect(metadata).toContain('<buildNumber>3</buildNumber>');
      const listing = await (await fetch(`${base(node)}/2.0-SNAPSHOT/`)).text();
      const builds = [...listing.matchAll(/greeter-2\.0-\d{8}\.\d{6}-(\d+)\.jar(?![.\w])/g)].map((m) => m[1]);
      expect([...new Set(builds)].sort()).toEqual(['1', '2', '3']);
    }
    // Each build's jar, read through another node than the one that took it, has that node's bytes.
    const newest = /<value>(2\.0-[\d.]+-3)<\/value>/.exec(await (await fetch(`${base(1)}/2.0-SNAPSHOT/maven-metadata.xml`)).text())![1];
    const jar = Buffer.from(await (await fetch(`${base(0)}/2.0-SNAPSHOT/greeter-${newest}.jar`)).arrayBuffer());
    expect(jar.equals(jars.get('s2')!)).toBe(true);
  });

  it('twine uploads 9 versions of one project at once through the three nodes; the same file on two nodes at once is stored once', { timeout: 180_000 }, async () => {
    const dists = Array.from({ length: 9 }, (_, i) => wheel({ name: 'cluster-lib', version: `1.${i}` }));
    const files = await writeDists(path.join(work, 'dists'), dists);
    const uploads = await Promise.all(files.map((file, i) => twine(`${url(i % 3)}/pypi/`, [file])));
    expect(uploads.map((r) => (r.code === 0 ? 0 : r.stdout + r.stderr))).toEqual(files.map(() => 0));

    const twice = wheel({ name: 'cluster-lib', version: '9.9' });
    const [file] = await writeDists(path.join(work, 'dists-twice'), [twice]);
    const raced = await Promise.all([1, 2].map((node) => twine(`${url(node)}/pypi/`, [file!])));
    expect(raced.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(raced.map((r) => r.stdout + r.stderr).join('\n')).toMatch(/File already exists/);

    for (const node of NODES) {
      const index = await fetch(`${url(node)}/simple/cluster-lib/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
      expect(index.status).toBe(200);
      const listed = ((await index.json()) as { files: Array<{ filename: string; url: string; hashes: { sha256: string } }> }).files;
      expect(listed.map((f) => f.filename).sort()).toEqual([...dists, twice].map((d) => d.filename).sort());
      for (const dist of [...dists, twice]) {
        const entry = listed.find((f) => f.filename === dist.filename)!;
        expect(entry.hashes.sha256).toBe(sha256(dist.bytes));
      }
    }
    const sample = dists[4]!;
    const entry = ((await (await fetch(`${url(0)}/simple/cluster-lib/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json()) as { files: Array<{ filename: string; url: string }> }).files.find((f) => f.filename === sample.filename)!;
    const bytes = Buffer.from(await (await fetch(new URL(entry.url, `${url(2)}/simple/cluster-lib/`).href.replace(/^https?:\/\/[^/]+/, url(2)))).arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(sample.bytes));
  });
});
