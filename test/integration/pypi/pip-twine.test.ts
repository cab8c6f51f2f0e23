// Real clients against the real server: twine uploads a wheel and an sdist, pip installs and
// downloads them from /simple/ in a fresh venv (PEP 691 JSON, PEP 658 metadata), names are
// normalized, and a yanked release is not chosen.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { sdist, sha256, wheel } from '../../helpers/pypi-dists.js';
import { createVenv, pip, run, twine, writeDists } from '../../helpers/python-clients.js';
import { loadConfig } from '../../../src/lib/config/loader.js';
import { createServices } from '../../../src/lib/services.js';
import { yankRelease } from '../../../src/lib/pypi/releases.js';
import { clientGate } from '../../helpers/clients.js';

const gate = clientGate('twine', 'pip');

let nora: NoraServer;
let work: string;
let python: string;
const v1 = { name: 'Nora_Harness.Lib', version: '1.0', requiresPython: '>=3.7' };
const v2 = { name: 'Nora_Harness.Lib', version: '2.0' };
const v1Wheel = wheel(v1);

const requestLines = () => nora.logs().split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as { method: string; path: string; status: number });

beforeAll(async () => {
  if (gate.skip) return;
  nora = await startNora();
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-pypi-'));
  python = await createVenv(path.join(work, 'venv'));
}, 120_000);

afterAll(async () => {
  await nora?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(gate.skip)(gate.title('twine and pip'), () => {
  it('twine uploads a wheel and an sdist to /pypi (no slash); a second upload is refused and --skip-existing skips it', async () => {
    const files = await writeDists(path.join(work, 'dist1'), [v1Wheel, sdist(v1)]);
    const first = await twine(`${nora.url}/pypi`, files);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const again = await twine(`${nora.url}/pypi/`, files);
    expect(again.code).not.toBe(0);
    expect(again.stdout + again.stderr).toMatch(/400 Bad Request[\s\S]*File already exists/);
    const skipped = await twine(`${nora.url}/pypi/`, files, ['--skip-existing']);
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0);
    expect(skipped.stdout + skipped.stderr).toContain('Skipping');
  });

  it('pip installs from /simple/ into a fresh venv using the PEP 658 metadata', async () => {
    const result = await pip(python, ['install', '--index-url', `${nora.url}/simple/`, 'nora-harness-lib']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const imported = await run(python, ['-c', 'import nora_harness_lib; print(nora_harness_lib.VERSION)']);
    expect(imported.stdout.trim()).toBe('1.0');
    const metadataGets = requestLines().filter((r) => r.method === 'GET' && r.path.endsWith('.whl.metadata') && r.status === 200);
    expect(metadataGets.length).toBeGreaterThan(0);
    // pip asked for the JSON form (PEP 691) first.
    expect(requestLines().some((r) => r.path === '/simple/nora-harness-lib/')).toBe(true);
  });

  it('pip download fetches the exact bytes, under any spelling of the name', async () => {
    const dest = path.join(work, 'download');
    const result = await pip(python, ['download', '--no-deps', '--only-binary', ':all:', '-d', dest, '--index-url', `${nora.url}/simple/`, 'NORA-harness_lib==1.0']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readdir(dest)).toEqual([v1Wheel.filename]);
    expect(sha256(await readFile(path.join(dest, v1Wheel.filename)))).toBe(sha256(v1Wheel.bytes));
  });

  it('serves PEP 691 JSON and PEP 503 HTML, and redirects non-normalized names', async () => {
    const json = await fetch(`${nora.url}/simple/nora-harness-lib/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    expect(json.headers.get('content-type')).toBe('application/vnd.pypi.simple.v1+json');
    const page = await json.json() as { meta: { 'api-version': string }; versions: string[]; files: Array<{ filename: string; hashes: { sha256: string }; size: number }> };
    expect(page.meta['api-version']).toBe('1.1');
    expect(page.versions).toEqual(['1.0']);
    expect(page.files.map((f) => f.filename).sort()).toEqual([v1Wheel.filename, sdist(v1).filename].sort());
    const html = await (await fetch(`${nora.url}/simple/nora-harness-lib/`, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain(`#sha256=${sha256(v1Wheel.bytes)}`);
    expect(html).toContain('data-requires-python="&gt;=3.7"');
    const redirect = await fetch(`${nora.url}/simple/Nora_Harness.Lib/`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/simple/nora-harness-lib/');
    const list = await (await fetch(`${nora.url}/simple/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json() as { projects: Array<{ name: string }> };
    expect(list.projects).toEqual([{ name: 'nora-harness-lib' }]);
  });

  it('pip does not choose a yanked release unless it is pinned', async () => {
    const files = await writeDists(path.join(work, 'dist2'), [wheel(v2)]);
    expect((await twine(`${nora.url}/pypi/`, files)).code).toBe(0);
    const { config } = loadConfig({ env: {}, cwd: work, flags: { 'storage.data_dir': nora.dataDir, 'log.level': 'silent' } });
    const services = await createServices(config);
    await yankRelease(services, 'nora-harness-lib', '2.0', 'broken build');
    await services.close();
    const dest = path.join(work, 'yank');
    const latest = await pip(python, ['download', '--no-deps', '-d', dest, '--index-url', `${nora.url}/simple/`, 'nora-harness-lib']);
    expect(latest.code, latest.stdout + latest.stderr).toBe(0);
    expect(await readdir(dest)).toContain(v1Wheel.filename);
    expect(await readdir(dest)).not.toContain(wheel(v2).filename);
    const pinned = await pip(python, ['download', '--no-deps', '-d', dest, '--index-url', `${nora.url}/simple/`, 'nora-harness-lib==2.0']);
    expect(pinned.code, pinned.stdout + pinned.stderr).toBe(0);
    expect(pinned.stdout + pinned.stderr).toContain('broken build');
  });
});
