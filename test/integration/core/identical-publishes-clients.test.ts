// Issue 13 item 3 with the stock clients: two CI jobs publishing the same artifact at the same
// moment (two `npm publish`, two `twine upload`, two `cargo publish`, two `skopeo copy`). Where
// the protocol refuses duplicates one job fails and one succeeds; either way the artifact is
// listed and downloads byte-identical to what the client built.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoAvailable, runCargo } from '../../helpers/cargo-client.js';
import { npmSandbox } from '../../helpers/npm-cli.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { OciLayout } from '../../helpers/oci-layout.js';
import { wheel } from '../../helpers/pypi-dists.js';
import { twine, writeDists } from '../../helpers/python-clients.js';
import { makeSkopeo } from '../../helpers/skopeo.js';

let nora: NoraServer;
let work: string;
beforeAll(async () => {
  nora = await startNora({ env: { NORA_NPM_UPSTREAM: '', NORA_CARGO_UPSTREAM_INDEX: '' } });
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-identical-'));
});
afterAll(async () => {
  await nora?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function served(urlPath: string, headers: Record<string, string> = {}): Promise<Buffer> {
  const response = await fetch(`${nora.url}${urlPath}`, { headers });
  expect(response.status, `GET ${urlPath}`).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

const codes = (results: Array<{ code: number | null }>) => results.map((r) => r.code).sort();

describe('two CI jobs publish the same artifact at once', { timeout: 240_000 }, () => {
  it('npm publish twice in parallel: one succeeds, the tarball is the packed one', async () => {
    const sb = await npmSandbox(nora.url);
    try {
      const pkg = await sb.writePackage({ name: 'identical-npm', version: '1.0.0', main: 'index.js' });
      const packed = await sb.npm(['pack', '--pack-destination', sb.dir], pkg);
      expect(packed.code, packed.stderr).toBe(0);
      const results = await Promise.all([sb.npm(['publish'], pkg), sb.npm(['publish'], pkg)]);
      expect(codes(results), results.map((r) => r.stderr).join('\n')).toEqual([0, 1]);
      const packument = JSON.parse((await served('/npm/identical-npm')).toString()) as { versions: Record<string, unknown> };
      expect(Object.keys(packument.versions)).toEqual(['1.0.0']);
      const tarball = await readFile(path.join(sb.dir, 'identical-npm-1.0.0.tgz'));
      expect((await served('/npm/identical-npm/-/identical-npm-1.0.0.tgz')).equals(tarball)).toBe(true);
    } finally {
      await sb.cleanup();
    }
  });

  it('twine upload twice in parallel: one succeeds, the other is told the file exists', async () => {
    const dist = wheel({ name: 'identical-pypi', version: '1.0' });
    const [file] = await writeDists(path.join(work, 'pypi'), [dist]);
    const results = await Promise.all([twine(`${nora.url}/pypi/`, [file!]), twine(`${nora.url}/pypi/`, [file!])]);
    expect(codes(results), results.map((r) => r.stdout + r.stderr).join('\n')).toEqual([0, 1]);
    expect(results.find((r) => r.code !== 0)!.stdout + results.find((r) => r.code !== 0)!.stderr).toMatch(/already exists/);
    const index = JSON.parse((await served('/simple/identical-pypi/', { accept: 'application/vnd.pypi.simple.v1+json' })).toString()) as { files: Array<{ filename: string }> };
    expect(index.files.map((f) => f.filename)).toEqual([dist.filename]);
    expect((await served(`/pypi/files/identical-pypi/${dist.filename}`)).equals(dist.bytes)).toBe(true);
  });

  it.skipIf(!cargoAvailable())('cargo publish twice in parallel: one succeeds, the .crate is the packaged one', async () => {
    const crate = path.join(work, 'crate-a');
    await mkdir(path.join(crate, 'src'), { recursive: true });
    await writeFile(path.join(crate, 'Cargo.toml'), '[package]\nname = "identical-crate"\nversion = "1.0.0"\nedition = "2021"\ndescription = "published twice"\nlicense = "MIT"\npublish = ["nora"]\n');
    await writeFile(path.join(crate, 'src', 'lib.rs'), 'pub fn twice() {}\n');
    await cp(crate, path.join(work, 'crate-b'), { recursive: true, preserveTimestamps: true });
    const job = async (name: string) => {
      const home = path.join(work, `cargo-home-${name}`);
      await mkdir(home, { recursive: true });
      await writeFile(path.join(home, 'config.toml'), `[registries.nora]\nindex = "sparse+${nora.url}/cargo/index/"\ncredential-provider = "cargo:token"\n`);
      return runCargo(['publish', '--no-verify', '--registry', 'nora'], { cwd: path.join(work, `crate-${name}`), home, env: { CARGO_REGISTRIES_NORA_TOKEN: 'ci-token' } });
    };
    const results = await Promise.all([job('a'), job('b')]);
    expect(codes(results), results.map((r) => r.stderr).join('\n')).toEqual([0, 101]);
    const line = JSON.parse((await served('/cargo/index/id/en/identical-crate')).toString().trim()) as { vers: string };
    expect(line.vers).toBe('1.0.0');
    const winner = results.findIndex((r) => r.code === 0) === 0 ? 'a' : 'b';
    const packaged = await readFile(path.join(work, `crate-${winner}`, 'target', 'package', 'tmp-crate', 'identical-crate-1.0.0.crate'));
    expect((await served('/cargo/api/v1/crates/identical-crate/1.0.0/download')).equals(packaged)).toBe(true);
  });

  it('skopeo copy twice in parallel: both succeed, the image pulls byte for byte', async () => {
    const skopeo = await makeSkopeo();
    try {
      const layout = new OciLayout(path.join(work, 'layout'));
      const layers = [
        await layout.addRandomBlob(4 * 1024 * 1024, 'application/vnd.oci.image.layer.v1.tar'),
        await layout.addBlob(Buffer.from('small identical layer'), 'application/vnd.oci.image.layer.v1.tar'),
      ];
      const image = await layout.addImage(layers);
      await layout.tag('app', image);
      const to = `docker://${new URL(nora.url).host}/identical/app:1.0`;
      const copy = () => skopeo.attempt('copy', '--preserve-digests', '--dest-tls-verify=false', `oci:${layout.dir}:app`, to);
      const results = await Promise.all([copy(), copy()]);
      expect(codes(results), results.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
      const manifest = await served('/v2/identical/app/manifests/1.0', { accept: image.mediaType });
      expect(manifest.equals(await layout.read(image.digest))).toBe(true);
      for (const layer of layers) expect((await served(`/v2/identical/app/blobs/${layer.digest}`)).equals(await layout.read(layer.digest))).toBe(true);
    } finally {
      await skopeo.cleanup();
    }
  });

  it('left nothing staged behind', async () => {
    expect(await readdir(path.join(nora.dataDir, 'tmp')).catch(() => [])).toEqual([]);
  });
});
