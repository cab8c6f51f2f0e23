// Built-in TLS against stock clients: a real `nora serve` with [server.tls] from a test CA made
// by openssl; skopeo, npm, twine/pip and cargo push and pull over HTTPS trusting only that CA
// (and fail without it), and SIGHUP makes the running process serve a renewed certificate.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoAvailable, runCargo } from '../../helpers/cargo-client.js';
import { eventually } from '../../helpers/eventually.js';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { OciLayout } from '../../helpers/oci-layout.js';
import { wheel } from '../../helpers/pypi-dists.js';
import { run, twine, writeDists } from '../../helpers/python-clients.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';
import { makeTestCa, replaceFile, type TestCa } from '../../helpers/test-ca.js';

let ca: TestCa;
let server: NoraServer;
let work: string;
let host: string;
let certFile: string;
let keyFile: string;

function servedName(): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return readFile(ca.caFile).then((caPem) => new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), ca: caPem }, () => {
      const name = socket.getPeerCertificate().subject.CN;
      socket.end();
      resolve(Array.isArray(name) ? name.join(',') : name ?? '');
    });
    socket.on('error', reject);
  }));
}

beforeAll(async () => {
  ca = await makeTestCa();
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-tls-'));
  const first = await ca.issue('nora-tls-first');
  certFile = path.join(work, 'tls.crt');
  keyFile = path.join(work, 'tls.key');
  await replaceFile(first.certFile, certFile);
  await replaceFile(first.keyFile, keyFile);
  server = await startNora({ env: { NORA_SERVER_TLS_CERT_FILE: certFile, NORA_SERVER_TLS_KEY_FILE: keyFile, NORA_CARGO_UPSTREAM_INDEX: '' } });
  host = new URL(server.url).host;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await ca?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('HTTPS with stock clients trusting a test CA', () => {
  it('listens on https:// and logs the certificate it loaded', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.logs()).toMatch(/"subject":"CN=nora-tls-first"[^\n]*"msg":"tls certificate loaded"/);
  });

  it('skopeo pushes and inspects an image with --cert-dir holding the CA, and refuses without it', { timeout: 120_000 }, async () => {
    const skopeo: Skopeo = await makeSkopeo();
    try {
      const certDir = path.join(work, 'skopeo-certs');
      await mkdir(certDir, { recursive: true });
      await writeFile(path.join(certDir, 'ca.crt'), await readFile(ca.caFile));
      const layout = new OciLayout(path.join(work, 'oci'));
      const layer = await layout.addBlob(Buffer.from('tls layer'), 'application/vnd.oci.image.layer.v1.tar');
      const config = await layout.addJson({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } }, 'application/vnd.oci.image.config.v1+json');
      const manifest = await layout.addJson({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] }, 'application/vnd.oci.image.manifest.v1+json');
      await layout.tag('v1', manifest);

      const untrusted = await skopeo.attempt('copy', `oci:${layout.dir}:v1`, `docker://${host}/tls/app:1`);
      expect(untrusted.code).not.toBe(0);
      expect(untrusted.stderr).toMatch(/x509|certificate/);

      await skopeo.run('copy', '--preserve-digests', '--dest-cert-dir', certDir, `oci:${layout.dir}:v1`, `docker://${host}/tls/app:1`);
      const inspected = JSON.parse(await skopeo.run('inspect', '--raw', '--cert-dir', certDir, `docker://${host}/tls/app:1`)) as { layers: Array<{ digest: string }> };
      expect(inspected.layers[0]!.digest).toBe(layer.digest);
    } finally {
      await skopeo.cleanup();
    }
  });

  it('npm publishes and installs with cafile set to the CA, and refuses without it', { timeout: 120_000 }, async () => {
    const npm: NpmSandbox = await npmSandbox(server.url);
    try {
      const pkg = await npm.writePackage({ name: 'nora-tls-pkg', version: '1.0.0', license: 'MIT' });
      const untrusted = await npm.npm(['publish', '--cafile', '/dev/null', '--fetch-retries', '0'], pkg);
      expect(untrusted.code).not.toBe(0);
      expect(untrusted.stderr).toMatch(/certificate|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED/i);
      const published = await npm.npm(['publish', '--cafile', ca.caFile], pkg);
      expect(published.code, published.stderr).toBe(0);
      const consumer = path.join(npm.dir, 'consumer');
      await mkdir(consumer);
      await writeFile(path.join(consumer, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}');
      const installed = await npm.npm(['install', '--cafile', ca.caFile, 'nora-tls-pkg@1.0.0'], consumer);
      expect(installed.code, installed.stderr).toBe(0);
      expect(await readFile(path.join(consumer, 'node_modules', 'nora-tls-pkg', 'index.js'), 'utf8')).toContain('nora-tls-pkg');
    } finally {
      await npm.cleanup();
    }
  });

  it('twine uploads and pip downloads with --cert set to the CA, and pip refuses without it', { timeout: 120_000 }, async () => {
    const dist = wheel({ name: 'nora-tls-lib', version: '1.0' });
    const files = await writeDists(path.join(work, 'dist'), [dist]);
    const uploaded = await twine(`${server.url}/pypi/`, files, ['--cert', ca.caFile]);
    expect(uploaded.code, uploaded.stderr + uploaded.stdout).toBe(0);
    const dest = path.join(work, 'pip-dest');
    const pipArgs = ['-m', 'pip', 'download', '--no-deps', '--no-cache-dir', '--retries', '0', '-d', dest, '--index-url', `${server.url}/simple/`, 'nora-tls-lib==1.0'];
    const untrusted = await run('python3', pipArgs);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stdout + untrusted.stderr).toMatch(/CERTIFICATE_VERIFY_FAILED/);
    const downloaded = await run('python3', [...pipArgs, '--cert', ca.caFile]);
    expect(downloaded.code, downloaded.stderr).toBe(0);
    expect(await readFile(path.join(dest, dist.filename))).toEqual(dist.bytes);
  });

  it.skipIf(!cargoAvailable())('cargo publishes and fetches over the sparse index with http.cainfo set to the CA', { timeout: 300_000 }, async () => {
    const cargoDir = path.join(work, 'cargo');
    const home = path.join(cargoDir, 'home');
    await mkdir(home, { recursive: true });
    await writeFile(path.join(home, 'config.toml'), `[registries.nora]\nindex = "sparse+${server.url}/cargo/index/"\ncredential-provider = "cargo:token"\n`);
    const manifest = (name: string, extra: string) => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\ndescription = "tls test"\nlicense = "MIT"\n${extra}`;
    for (const [file, text] of Object.entries({
      'lib/Cargo.toml': manifest('nora-tls-crate', 'publish = ["nora"]\n'),
      'lib/src/lib.rs': 'pub fn hi() -> u8 { 7 }\n',
      'app/Cargo.toml': manifest('nora-tls-app', 'publish = false\n\n[dependencies]\nnora-tls-crate = { version = "0.1", registry = "nora" }\n'),
      'app/src/main.rs': 'fn main() { println!("{}", nora_tls_crate::hi()); }\n',
    })) {
      await mkdir(path.dirname(path.join(cargoDir, file)), { recursive: true });
      await writeFile(path.join(cargoDir, file), text);
    }
    const env = { CARGO_REGISTRIES_NORA_TOKEN: 'nora-test-token', CARGO_TARGET_DIR: path.join(cargoDir, 'target'), CARGO_NET_RETRY: '0' };
    const untrusted = await runCargo(['publish', '--no-verify', '--registry', 'nora'], { cwd: path.join(cargoDir, 'lib'), home, env });
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/SSL certificate|certificate/i);
    const trusted = { ...env, CARGO_HTTP_CAINFO: ca.caFile };
    const published = await runCargo(['publish', '--no-verify', '--registry', 'nora'], { cwd: path.join(cargoDir, 'lib'), home, env: trusted });
    expect(published.code, published.stderr).toBe(0);
    const fetched = await runCargo(['fetch'], { cwd: path.join(cargoDir, 'app'), home, env: trusted });
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stderr).toMatch(/Downloaded nora-tls-crate v0\.1\.0 \(registry `nora`\)/);
  });

  it('serves a renewed certificate after SIGHUP, without a restart', { timeout: 60_000 }, async () => {
    const renewed = await ca.issue('nora-tls-renewed');
    await replaceFile(renewed.keyFile, keyFile);
    await replaceFile(renewed.certFile, certFile);
    const pid = server.process.pid!;
    process.kill(pid, 'SIGHUP');
    const logs = await eventually(() => server.logs(), (l) => /"reason":"SIGHUP"[^\n]*"msg":"tls certificate reloaded"/.test(l));
    expect(logs).toMatch(/"reason":"SIGHUP","subject":"CN=nora-tls-renewed"/);
    expect(await servedName()).toBe('nora-tls-renewed');
    expect(server.process.pid).toBe(pid);
    expect(server.process.exitCode).toBeNull();
  });

  it('`nora serve` with a key that does not belong to the certificate stops at once: exit 2, naming the key', { timeout: 60_000 }, async () => {
    const other = await ca.issue('nora-tls-other');
    const result = await runNora(['serve', '--port', '0', '--data-dir', path.join(work, 'never')], { env: { NORA_SERVER_TLS_CERT_FILE: certFile, NORA_SERVER_TLS_KEY_FILE: other.keyFile } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nora: cannot start: server\.tls\.key_file ".*nora-tls-other-\d+\.key" does not belong to the certificate in server\.tls\.cert_file ".*tls\.crt"\n$/);
  });
});
