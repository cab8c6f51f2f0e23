// The core metadata inside an upload must name the project and version of the upload form
// (names after PEP 503 normalisation, versions canonically): a wheel's METADATA, an sdist's
// PKG-INFO (.tar.gz or legacy .zip). Otherwise 400, naming both, and nothing is stored. twine
// cannot produce these cases (it fills the form from the file's own metadata), so they go over
// plain HTTP (inject).
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { metadataText, sdist, twineFields, uploadForm, wheel, zipSdist, type DistOptions } from '../../helpers/pypi-dists.js';
import { listAll } from '../../../src/lib/storage/object-store.js';

let t: TestApp;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

async function keys(): Promise<string[]> {
  const out: string[] = [];
  for await (const info of listAll(t.services.store, '')) out.push(info.key);
  return out.sort();
}

const pkg = { name: 'nora-demo', version: '1.0' };
type Dist = { filename: string; bytes: Buffer };

function upload(declared: DistOptions, file: Dist) {
  const { body, contentType } = uploadForm(twineFields(declared, file), file);
  return t.app.inject({ method: 'POST', url: '/pypi/', payload: body, headers: { 'content-type': contentType } });
}

/** `file`'s bytes under the filename `like` has (the name and version the form declares). */
const renamed = (file: Dist, like: Dist): Dist => ({ filename: like.filename, bytes: file.bytes });

const refused: Array<[string, Dist, string]> = [
  ['a wheel whose METADATA names another project', renamed(wheel({ name: 'other-pkg', version: '1.0' }), wheel(pkg)),
    'nora_demo-1.0-py3-none-any.whl: its METADATA names project "other-pkg" version "1.0", but the upload is for project "nora-demo" version "1.0"'],
  ['a wheel whose METADATA names another version', wheel(pkg, metadataText({ ...pkg, version: '2.0' })),
    'its METADATA names project "nora-demo" version "2.0", but the upload is for project "nora-demo" version "1.0"'],
  ['a wheel whose METADATA has no Name', wheel(pkg, 'Metadata-Version: 2.1\nVersion: 1.0\n\n'),
    'its METADATA names no project version "1.0"'],
  ['an sdist whose PKG-INFO names another project', renamed(sdist({ name: 'other-pkg', version: '1.0' }), sdist(pkg)),
    'nora_demo-1.0.tar.gz: its PKG-INFO names project "other-pkg" version "1.0", but the upload is for project "nora-demo" version "1.0"'],
  ['an sdist whose PKG-INFO names another version', sdist(pkg, metadataText({ ...pkg, version: '1.1' })),
    'its PKG-INFO names project "nora-demo" version "1.1"'],
  ['a .zip sdist whose PKG-INFO names another project', zipSdist(pkg, metadataText({ name: 'evil', version: '1.0' })),
    'nora_demo-1.0.zip: its PKG-INFO names project "evil"'],
  ['an sdist without PKG-INFO', sdist(pkg, null), 'invalid sdist nora_demo-1.0.tar.gz: it has no top-level PKG-INFO'],
  ['a .zip sdist without PKG-INFO', zipSdist(pkg, null), 'invalid sdist nora_demo-1.0.zip: it has no top-level PKG-INFO'],
  ['an sdist that is not gzip', { filename: 'nora_demo-1.0.tar.gz', bytes: Buffer.from('not gzip at all') }, 'invalid sdist nora_demo-1.0.tar.gz: it is not a readable .tar.gz'],
  ['an sdist that is gzip but not tar', { filename: 'nora_demo-1.0.tar.gz', bytes: gzipSync(Buffer.alloc(4096, 0x41)) }, 'invalid sdist nora_demo-1.0.tar.gz'],
];

describe('core metadata must match the upload form', () => {
  it.each(refused)('refuses %s with 400, naming both, and stores nothing', async (_what, file, message) => {
    const before = await keys();
    const response = await upload(pkg, file);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.body).toContain(message);
    expect(response.statusMessage).toContain(message);
    expect(await keys()).toEqual(before);
    expect((await t.app.inject({ url: '/simple/nora-demo/' })).statusCode).toBe(404);
  });

  it.each([
    ['a wheel', wheel(pkg)],
    ['a wheel whose METADATA spells the name and version differently', wheel(pkg, metadataText({ name: 'Nora_Demo', version: 'V1.0' }))],
    ['an sdist', sdist(pkg)],
    ['an sdist whose PKG-INFO says Nora.Demo', sdist(pkg, metadataText({ name: 'Nora.Demo', version: 'v1.0' }))],
    ['an sdist whose PKG-INFO says version 1.0.0 (PEP 440: the same release)', sdist(pkg, metadataText({ ...pkg, version: '1.0.0' }))],
    ['a legacy .zip sdist', zipSdist(pkg)],
  ])('accepts %s', async (_what, file) => {
    const response = await upload(pkg, file);
    expect(response.statusCode, response.body).toBe(200);
  });
});
