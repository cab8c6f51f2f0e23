// Real clients against a real NORA with [[tenants]]: skopeo, npm, twine, cargo and mvn pushes over
// their tenant's quota are refused, and each client prints the message naming tenant, quota and
// usage; deleting an image and running `nora gc` frees the usage and the next push works; a bad
// tenant config stops `nora serve` naming the line.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoAvailable, runCargo } from '../../helpers/cargo-client.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { OciLayout } from '../../helpers/oci-layout.js';
import { wheel } from '../../helpers/pypi-dists.js';
import { twine, writeDists } from '../../helpers/python-clients.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';
import { runMvn, settingsXml, writeLibrary } from '../maven/mvn-project.js';

const LAYER = 'application/vnd.oci.image.layer.v1.tar';
const CONFIG = `[[tenants]]
name = "images"
storage_quota = "300KB"
namespaces = ["oci:team/**"]
[[tenants]]
name = "web"
storage_quota = "100B"
[[tenants]]
name = "py"
storage_quota = "100B"
namespaces = ["pypi:web-*"]
[[tenants]]
name = "rust"
storage_quota = "100B"
namespaces = ["cargo:web-*"]
[[tenants]]
name = "jvm"
storage_quota = "100B"
namespaces = ["maven:org.example.nora.**"]
`;
const REFUSAL = (tenant: string, quota: string) => new RegExp(`tenant "${tenant}" is over its storage quota: quota ${quota}, used [^,]+, this push adds [^;]+; delete artifacts \\(then gc\\) or raise storage_quota`);

let server: NoraServer;
let work: string;
let configFile: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-tenants-'));
  configFile = path.join(work, 'nora.toml');
  await writeFile(configFile, CONFIG);
  server = await startNora({ args: ['--config', configFile], env: { NORA_NPM_UPSTREAM: '', NORA_CARGO_UPSTREAM_INDEX: '', NORA_GC_GRACE: '0s' } });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('quota refusals as each client shows them', { timeout: 300_000 }, () => {
  let skopeo: Skopeo;
  afterAll(async () => { await skopeo?.cleanup(); });

  it('skopeo: the push over the quota fails with DENIED and the message; delete + gc frees it and the push then works', async () => {
    skopeo = await makeSkopeo();
    const layout = new OciLayout(path.join(work, 'layout'));
    const first = await layout.addImage([await layout.addRandomBlob(200_000, LAYER)]);
    await layout.tag('one', first);
    await layout.tag('two', await layout.addImage([await layout.addRandomBlob(200_000, LAYER)]));
    const host = new URL(server.url).host;
    const copy = (tag: string, repo: string) => skopeo.attempt('copy', '--preserve-digests', '--dest-tls-verify=false', `oci:${layout.dir}:${tag}`, `docker://${host}/team/${repo}:1`);

    expect((await copy('one', 'a')).code).toBe(0);
    const refused = await copy('two', 'b');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/denied/i);
    // skopeo quotes the registry's message (logrus escapes its quotes).
    expect(refused.stderr.replaceAll('\\"', '"')).toMatch(REFUSAL('images', '300 kB'));

    const usage = async () => JSON.parse((await runNora(['usage', '--server', server.url, '--tenant', 'images', '--json'])).stdout) as { used: number; artifacts: unknown };
    expect((await usage()).used).toBeGreaterThan(200_000);
    const deleted = await runNora(['delete', '--server', server.url, `team/a@${first.digest}`]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await usage()).toMatchObject({ used: 0, artifacts: {} });
    const gc = await runNora(['gc', '--config', configFile, '--data-dir', server.dataDir, '--grace', '0s', '--json']);
    expect(gc.code, gc.stderr).toBe(0);
    expect((JSON.parse(gc.stdout.trim().split('\n').at(-1)!) as { bytes_freed: number }).bytes_freed).toBeGreaterThan(200_000);

    expect((await copy('two', 'b')).code).toBe(0);
    expect((await usage()).used).toBeGreaterThan(200_000);
  });

  it('npm publish: 403 with the message', async () => {
    const sb: NpmSandbox = await npmSandbox(server.url);
    try {
      const result = await sb.npm(['publish'], await sb.writePackage({ name: '@web/ui', version: '1.0.0', main: 'index.js' }));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/403 Forbidden - PUT .*@web%2fui - tenant "web" is over its storage quota/);
      expect(result.stderr).toMatch(REFUSAL('web', '100 B'));
    } finally {
      await sb.cleanup();
    }
  });

  it('twine upload: 403 with the message', async () => {
    const files = await writeDists(path.join(work, 'dist'), [wheel({ name: 'web-tools', version: '1.0' })]);
    const result = await twine(`${server.url}/pypi/`, files);
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/403/);
    expect(output.replace(/\s+/g, ' ')).toMatch(REFUSAL('py', '100 B'));
  });

  it.skipIf(!cargoAvailable())('cargo publish: the message in errors[].detail', async () => {
    const crate = path.join(work, 'crate');
    await mkdir(path.join(crate, 'src'), { recursive: true });
    await writeFile(path.join(crate, 'Cargo.toml'), '[package]\nname = "web-core"\nversion = "0.1.0"\nedition = "2021"\ndescription = "quota test"\nlicense = "MIT"\npublish = ["nora"]\n');
    await writeFile(path.join(crate, 'src', 'lib.rs'), 'pub fn f() {}\n');
    const home = path.join(work, 'cargo-home');
    await mkdir(home, { recursive: true });
    await writeFile(path.join(home, 'config.toml'), `[registries.nora]\nindex = "sparse+${server.url}/cargo/index/"\ncredential-provider = "cargo:token"\n`);
    const result = await runCargo(['publish', '--registry', 'nora', '--no-verify'], { cwd: crate, home, env: { CARGO_REGISTRIES_NORA_TOKEN: 'token', CARGO_TARGET_DIR: path.join(work, 'target') } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/403 Forbidden/);
    expect(result.stderr.replace(/\s+/g, ' ')).toMatch(REFUSAL('rust', '100 B'));
  });

  it('mvn deploy: the message in the plain-text answer', async () => {
    const project = path.join(work, 'mvn');
    await writeLibrary(project, `${server.url}/maven2/`, '1.0', 'hello');
    await writeFile(path.join(work, 'settings.xml'), settingsXml(`${server.url}/maven2/`));
    const result = await runMvn(path.join(work, 'settings.xml'), project, path.join(work, 'm2'), ['deploy']);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/403/);
    expect(result.output.replace(/\s+/g, ' ')).toMatch(REFUSAL('jvm', '100 B'));
  });
});

describe('bad tenant config', () => {
  it('stops `nora serve`, naming the line', async () => {
    const bad = path.join(work, 'bad.toml');
    await writeFile(bad, '[[tenants]]\nname = "a"\nnamespaces = ["oci:shared/**"]\n[[tenants]]\nname = "b"\nnamespaces = ["oci:shared/b/*"]\n');
    const result = await runNora(['serve', '--config', bad, '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.toml:6: tenants[1].namespaces: "oci:shared/b/*" of tenant "b" overlaps "oci:shared/**" of tenant "a" (tenants[0]); a name may belong to one tenant only');
  });
});
