// The registry over memory storage with an in-process upstream: freshness (metadata_ttl),
// revalidation, stale pages when the upstream is down, local-only projects and merge_upstream.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { EventBus } from '../../../src/lib/events/bus.js';
import { PypiRegistry, type PypiApi } from '../../../src/lib/pypi/registry.js';
import { pypiPullThrough } from '../../../src/lib/pypi/pull-through.js';
import { upstreamConfig } from '../../helpers/upstream-config.js';
import { updateProject } from '../../../src/lib/pypi/project-store.js';
import { sha256 } from '../../helpers/pypi-dists.js';

const bytes = Buffer.from('upstream file bytes');
let server: http.Server;
let base: string;
let up = true;
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    hits.push(`${request.url} ${request.headers['if-none-match'] ?? ''}`);
    if (!up) { response.writeHead(503).end('down'); return; }
    if (request.url === '/simple/demo/') {
      if (request.headers['if-none-match'] === '"v1"') { response.writeHead(304).end(); return; }
      response.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json', etag: '"v1"' });
      response.end(JSON.stringify({ meta: { 'api-version': '1.1' }, name: 'demo', versions: ['1.0', '2.0'], files: [
        { filename: 'demo-1.0.tar.gz', url: '/f/demo-1.0.tar.gz', hashes: { sha256: sha256(bytes) } },
        { filename: 'demo-2.0.tar.gz', url: '/f/demo-2.0.tar.gz', hashes: { sha256: sha256(bytes) } },
      ] }));
      return;
    }
    if (request.url?.startsWith('/f/')) { response.writeHead(200, { 'content-length': bytes.length }).end(bytes); return; }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => { server.close(); });

let registry: PypiApi;
afterEach(async () => { up = true; hits.length = 0; await registry.close(); });

function make(settings: { metadata_ttl?: number; merge_upstream?: boolean } = {}, store = new MemoryStore()) {
  const deps = { store, blobs: new BlobStore(store), events: new EventBus() };
  const upstreams = [`${base}/missing-index/`, `${base}/simple/`].map((url) => upstreamConfig('pypi', url, { metadata_ttl: settings.metadata_ttl ?? 60_000, timeout: 2000 }));
  registry = pypiPullThrough({ config: { upstreams, merge_upstream: settings.merge_upstream ?? false }, deps })!(new PypiRegistry(deps));
  return { store };
}

const localFile = { filename: 'demo-1.0.tar.gz', version: '1.0', kind: 'sdist' as const, digest: `sha256:${'c'.repeat(64)}`, sha256: 'c'.repeat(64), size: 3, uploadTime: '2026-01-01T00:00:00.000Z' };

describe('registry with an upstream', () => {
  it('tries upstreams in order, caches the page for metadata_ttl and links files to NORA', async () => {
    make();
    const page = await registry.projectPage('demo', 'http://nora');
    expect(page!.files.map((f) => f.url)).toEqual(['http://nora/pypi/files/demo/demo-1.0.tar.gz', 'http://nora/pypi/files/demo/demo-2.0.tar.gz']);
    expect(page!.versions).toEqual(['1.0', '2.0']);
    await registry.projectPage('demo', 'http://nora');
    expect(hits.filter((h) => h.startsWith('/simple/demo/'))).toHaveLength(1);
    expect(hits[0]).toBe('/missing-index/demo/ ');
  });

  it('revalidates an expired page with its ETag and serves it stale when the upstream is down', async () => {
    make({ metadata_ttl: 0 });
    await registry.projectPage('demo', 'http://nora');
    await registry.projectPage('demo', 'http://nora');
    expect(hits).toContain('/simple/demo/ "v1"');
    up = false;
    expect((await registry.projectPage('demo', 'http://nora'))!.files).toHaveLength(2);
    await expect(registry.projectPage('never-seen', 'http://nora')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 502 });
  });

  it('answers undefined when no upstream has the project', async () => {
    make();
    expect(await registry.projectPage('nothing-here', 'http://nora')).toBeUndefined();
  });

  it('serves a local project from local files only, unless merge_upstream is on', async () => {
    const store = new MemoryStore();
    await updateProject(store, 'demo', () => ({ name: 'Demo', files: [localFile] }));
    make({}, store);
    const local = await registry.projectPage('demo', 'http://nora');
    expect(local!.files.map((f) => f.sha256)).toEqual(['c'.repeat(64)]);
    expect(hits).toEqual([]);
    expect(await registry.locateFile('demo', 'demo-2.0.tar.gz')).toBeUndefined();
    await registry.close();
    make({ merge_upstream: true }, store);
    const merged = await registry.projectPage('demo', 'http://nora');
    expect(merged!.files.map((f) => [f.filename, f.sha256])).toEqual([['demo-1.0.tar.gz', 'c'.repeat(64)], ['demo-2.0.tar.gz', sha256(bytes)]]);
    expect(merged!.name).toBe('Demo');
  });

  it('caches an upstream file as a blob on first download', async () => {
    make();
    const first = await registry.locateFile('demo', 'demo-1.0.tar.gz');
    expect(first?.kind).toBe('stream');
    const chunks: Buffer[] = [];
    if (first?.kind === 'stream') for await (const chunk of first.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    // No wait: a download's last byte reaches the reader only once the blob is committed.
    up = false;
    expect(await registry.locateFile('demo', 'demo-1.0.tar.gz')).toEqual({ kind: 'blob', digest: `sha256:${sha256(bytes)}` });
  });
});
