// Garbage per request on the manifest and tag-list paths: what drives the V8 heap's growth under the
// 64-connection load of bench:oci (issue 23's peak memory). Starts the bundle (dist/nora.cjs, or
// NORA_BUNDLE) with the binary's V8 flags plus --trace-gc-nvp, pushes one small image, warms the
// path up, then for each request kind sends BENCH_ALLOC_REQUESTS requests (20,000) over
// BENCH_ALLOC_CONNECTIONS connections (64) and sums V8's own GC log: bytes allocated and promoted
// to the old generation per request, scavenges and full GCs, the old generation's size before and
// after each full GC, and the process's VmHWM. Not timed; figures come from V8, so a busy machine
// changes them little. `npm run bench:alloc` (builds the bundle when it is missing).
// Where the bytes come from: the inspector's HeapProfiler.startSampling with
// includeObjectsCollectedByMinorGC/MajorGC, frames mapped through dist/nora.cjs.map.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const REQUESTS = Number(process.env.BENCH_ALLOC_REQUESTS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_ALLOC_CONNECTIONS ?? 64);
const MiB = 1024 * 1024;

const bundle = path.resolve(process.env.NORA_BUNDLE ?? path.join(ROOT, 'dist', 'nora.cjs'));
if (!process.env.NORA_BUNDLE && !existsSync(bundle)) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const flags = JSON.parse(readFileSync(path.join(ROOT, 'sea-config.json'), 'utf8')).execArgv ?? [];
const port = await new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => { const p = server.address().port; server.close(() => resolve(p)); });
});
const dir = mkdtempSync(path.join(os.tmpdir(), 'nora-bench-alloc-'));
const child = spawn(process.execPath, [...flags, '--trace-gc-nvp', bundle, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dir, '--log-level', 'error'], { stdio: ['ignore', 'pipe', 'inherit'] });
let gcLog = '';
child.stdout.on('data', (data) => { gcLog += data; });
const url = `http://127.0.0.1:${port}`;

/** The GC log's lines (one per collection) so far. */
const collections = () => gcLog.split('\n').filter((line) => line.includes(' gc='));
const field = (line, key) => Number(new RegExp(`\\b${key}=(\\d+)`).exec(line)?.[1] ?? 0);
const hwm = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
const digestOf = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function expect201(method, target, body, type) {
  const response = await request(new URL(target, url), { method, body, headers: { 'content-type': type } });
  await response.body.dump();
  if (response.statusCode !== 201) throw new Error(`${method} ${target}: ${response.statusCode}`);
}

async function run(method, pathname, n, connections) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  let left = n;
  let failed = 0;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (left-- > 0) {
      const response = await pool.request({ method, path: pathname, headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      await response.body.dump();
      if (response.statusCode !== 200) failed++;
    }
  }));
  await pool.close();
  if (failed) throw new Error(`${method} ${pathname}: ${failed} non-200 answers`);
}

try {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('NORA did not start');
    const up = await request(`${url}/v2/`).then(async (r) => { await r.body.dump(); return r.statusCode === 200; }, () => false);
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
  const layer = randomBytes(2048);
  for (const bytes of [config, layer]) {
    const open = await request(`${url}/v2/bench/alloc/blobs/uploads/`, { method: 'POST' });
    await open.body.dump();
    const location = open.headers.location;
    await expect201('PUT', `${location}${location.includes('?') ? '&' : '?'}digest=${digestOf(bytes)}`, bytes, 'application/octet-stream');
  }
  const manifest = JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digestOf(layer), size: layer.length }],
  });
  await expect201('PUT', '/v2/bench/alloc/manifests/v1', manifest, 'application/vnd.oci.image.manifest.v1+json');
  const kinds = [
    ['manifest GET by tag', 'GET', '/v2/bench/alloc/manifests/v1'],
    ['manifest HEAD by tag', 'HEAD', '/v2/bench/alloc/manifests/v1'],
    ['manifest GET by digest', 'GET', `/v2/bench/alloc/manifests/${digestOf(Buffer.from(manifest))}`],
    ['tag list GET', 'GET', '/v2/bench/alloc/tags/list'],
  ];
  // Warm-up: the JIT compiles the path first, as in bench:oci's untimed runs.
  for (const [, method, pathname] of kinds) await run(method, pathname, 3000, 8);
  console.log(`## Garbage per request (bench:alloc) — ${REQUESTS} requests x ${CONNECTIONS} connections each, Node ${process.version}, load ${os.loadavg()[0].toFixed(2)}\n`);
  console.log('| request | allocated KB/req | promoted KB/req | scavenges | full GCs | old gen before -> after full GC (MiB) | VmHWM (MiB) |');
  console.log('|---|---:|---:|---:|---:|---|---:|');
  for (const [name, method, pathname] of kinds) {
    await settle();
    const before = collections().length;
    await run(method, pathname, REQUESTS, CONNECTIONS);
    await settle();
    const lines = collections().slice(before);
    const sum = (key) => lines.reduce((total, line) => total + field(line, key), 0);
    const full = lines.filter((line) => /gc=(ms|mc|mmc)\b/.test(line));
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    const oldGen = full.length ? `${(median(full.map((l) => field(l, 'start_object_size'))) / MiB).toFixed(1)} -> ${(median(full.map((l) => field(l, 'end_object_size'))) / MiB).toFixed(1)}` : '-';
    console.log(`| ${name} | ${(sum('allocated') / REQUESTS / 1000).toFixed(1)} | ${(sum('promoted') / REQUESTS / 1000).toFixed(1)} | ${lines.length - full.length} | ${full.length} | ${oldGen} | ${hwm().toFixed(1)} |`);
  }
  console.log('\nallocated and promoted are summed from --trace-gc-nvp; old gen sizes are medians over the full GCs of each run.');
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
