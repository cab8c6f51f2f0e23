// The upstream cache with real processes: a second NORA plays the public index, and a small
// node server plays an index that lies about a file's hash (and counts downloads). pip installs
// through the cache; the cache revalidates with ETags, serves stale when the upstream is down,
// refuses files that fail verification, and keeps local projects local.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { sha256, twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';
import { createVenv, pip } from '../../helpers/python-clients.js';

let upstream: NoraServer;
let cache: NoraServer;
let liar: http.Server;
let liarUrl: string;
let work: string;
let python: string;
const fileRequests = new Map<string, number>();

const honest = wheel({ name: 'honest', version: '1.0' });
const lie = wheel({ name: 'liar', version: '1.0' });
const declaredForLie = sha256(Buffer.from('not the bytes that are served'));

async function publish(base: string, pkg: { name: string; version: string }) {
  const file = wheel(pkg);
  const { body, contentType } = uploadForm(twineFields(pkg, file), file);
  const response = await fetch(`${base}/pypi/`, { method: 'POST', body, headers: { 'content-type': contentType } });
  expect(response.status, await response.text()).toBe(200);
}

const logLines = (server: NoraServer) => server.logs().split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as { method: string; path: string; status: number });

function startLiar(): Promise<void> {
  liar = http.createServer((request, response) => {
    const url = request.url ?? '/';
    if (url === '/simple/liar/') {
      response.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
      response.end(JSON.stringify({ meta: { 'api-version': '1.0' }, name: 'liar', files: [{ filename: lie.filename, url: `/files/${lie.filename}`, hashes: { sha256: declaredForLie } }] }));
    } else if (url === '/simple/honest/') {
      // An HTML-only index: NORA must parse PEP 503 anchors.
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!DOCTYPE html><html><body><a href="../../files/${honest.filename}#sha256=${sha256(honest.bytes)}" data-requires-python="&gt;=3">${honest.filename}</a></body></html>`);
    } else if (url.startsWith('/files/')) {
      fileRequests.set(url, (fileRequests.get(url) ?? 0) + 1);
      const bytes = url.endsWith(lie.filename) ? lie.bytes : honest.bytes;
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      // Slowly, so concurrent requests overlap.
      setTimeout(() => response.end(bytes), 300);
    } else {
      response.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => liar.listen(0, '127.0.0.1', () => { liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`; resolve(); }));
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-pypi-up-'));
  [upstream, python] = await Promise.all([startNora(), createVenv(path.join(work, 'venv')), startLiar()]);
  await publish(upstream.url, { name: 'cached-pkg', version: '1.0' });
  await publish(upstream.url, { name: 'shared-name', version: '9.0' });
  cache = await startNora({ env: { NORA_PYPI_UPSTREAM: `${upstream.url}/simple/,${liarUrl}/simple/`, NORA_PYPI_METADATA_TTL: '0s', NORA_PYPI_UPSTREAM_TIMEOUT: '5s' } });
}, 120_000);

afterAll(async () => {
  await cache?.stop();
  await upstream?.stop();
  liar?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('pypi upstream cache', () => {
  it('pip installs an upstream project through NORA, with links rewritten to NORA', async () => {
    const page = await (await fetch(`${cache.url}/simple/cached-pkg/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json() as { files: Array<{ url: string; 'core-metadata': unknown }> };
    expect(page.files[0]!.url.startsWith(`${cache.url}/pypi/files/cached-pkg/`)).toBe(true);
    expect(page.files[0]!['core-metadata']).toBeTruthy();
    const result = await pip(python, ['install', '--index-url', `${cache.url}/simple/`, 'cached-pkg']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(logLines(cache).some((l) => l.path.endsWith('.whl.metadata') && l.status === 200)).toBe(true);
  });

  it('revalidates the cached page with its ETag (the upstream answers 304)', async () => {
    await fetch(`${cache.url}/simple/cached-pkg/`);
    expect(logLines(upstream).some((l) => l.path === '/simple/cached-pkg/' && l.status === 304)).toBe(true);
  });

  it('keeps a project published locally free of upstream files', async () => {
    await publish(cache.url, { name: 'shared-name', version: '1.0' });
    const page = await (await fetch(`${cache.url}/simple/shared-name/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json() as { versions: string[]; files: Array<{ filename: string }> };
    expect(page.versions).toEqual(['1.0']);
    expect(page.files.map((f) => f.filename)).toEqual([wheel({ name: 'shared-name', version: '1.0' }).filename]);
  });

  it('parses an HTML-only upstream and makes one upstream download for concurrent requests', async () => {
    const url = `${cache.url}/pypi/files/honest/${honest.filename}`;
    expect((await fetch(`${cache.url}/simple/honest/`)).status).toBe(200);
    const bodies = await Promise.all(Array.from({ length: 5 }, async () => Buffer.from(await (await fetch(url)).arrayBuffer())));
    for (const body of bodies) expect(sha256(body)).toBe(sha256(honest.bytes));
    expect(fileRequests.get(`/files/${honest.filename}`)).toBe(1);
  });

  it('refuses a file whose bytes do not match the upstream hash, and stores nothing', async () => {
    const url = `${cache.url}/pypi/files/liar/${lie.filename}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = await fetch(url).then(async (r) => ({ status: r.status, text: await r.text() }), (error: Error) => ({ status: 0, text: error.message }));
      expect(outcome.status === 502 || outcome.status === 0).toBe(true);
      if (outcome.status === 502) expect(outcome.text).toContain('does not match the sha256');
    }
    expect(fileRequests.get(`/files/${lie.filename}`)).toBe(2);
    const blobs = await readdir(path.join(cache.dataDir, 'blobs', 'sha256', sha256(lie.bytes).slice(0, 2))).catch(() => []);
    expect(blobs).not.toContain(sha256(lie.bytes));
  });

  it('serves the stale page and the cached file when the upstream is down', async () => {
    await upstream.stop();
    const dest = path.join(work, 'offline');
    const result = await pip(python, ['download', '--no-deps', '-d', dest, '--index-url', `${cache.url}/simple/`, 'cached-pkg']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readdir(dest)).toEqual([wheel({ name: 'cached-pkg', version: '1.0' }).filename]);
    // Never fetched before, upstream down: a clear 502 (the liar answers 404 for it).
    const missing = await fetch(`${cache.url}/simple/never-seen/`);
    expect(missing.status).toBe(502);
    expect(await missing.text()).toContain('upstream index failed');
  });
});
