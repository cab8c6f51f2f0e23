// OCI benchmark, NORA side by side with Debian's docker-registry (CNCF distribution) in one run:
// 1 GiB blob push/pull (monolithic and chunked), manifest GET/HEAD req/s and p99 at 1/16/64
// connections, 200 small image pushes (sequential and 8-parallel), peak RSS. Prints a markdown
// table with NORA/distribution ratios. Not a test: run `node scripts/bench/oci.mjs`
// (uses dist/nora.cjs, building it if missing, or NORA_BIN). BENCH_BLOB_MIB changes the blob size.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MiB = 1024 * 1024;
const BLOB_SIZE = Number(process.env.BENCH_BLOB_MIB ?? 1024) * MiB;
const CHUNK = 64 * MiB;
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 3);

const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

async function waitFor(url, child, name) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      const { statusCode, body } = await request(url);
      await body.dump();
      if (statusCode === 200) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not start`);
}

async function startNora(dir) {
  const port = await freePort();
  const bin = process.env.NORA_BIN;
  if (!bin && !existsSync(path.join(ROOT, 'dist', 'nora.cjs'))) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const [cmd, ...lead] = bin ? [path.resolve(bin)] : [process.execPath, path.join(ROOT, 'dist', 'nora.cjs')];
  const child = spawn(cmd, [...lead, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', path.join(dir, 'nora-data'), '--log-level', 'error'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/v2/`, child, 'nora');
  return { name: 'NORA', url, child };
}

async function startDistribution(dir) {
  const port = await freePort();
  const config = path.join(dir, 'registry.yml');
  await writeFile(config, [
    'version: 0.1',
    'log:', '  level: error', '  accesslog:', '    disabled: true',
    'storage:', '  filesystem:', `    rootdirectory: ${path.join(dir, 'registry-data')}`, '  delete:', '    enabled: true',
    'http:', `  addr: 127.0.0.1:${port}`, '',
  ].join('\n'));
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/v2/`, child, 'docker-registry');
  return { name: 'distribution', url, child };
}

const peakRssMiB = (pid) => {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
};

const digestOf = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const abs = (base, location) => new URL(location, base).toString();
const withDigest = (location, digest) => `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;

async function call(url, options = {}, expected) {
  const response = await request(url, options);
  const text = await response.body.text();
  if (expected && response.statusCode !== expected) throw new Error(`${options.method ?? 'GET'} ${url}: ${response.statusCode} ${text.slice(0, 300)}`);
  return response;
}

/** This machine's sha256-plus-disk limit: read `file`, hash it and write a copy (MB/s). */
async function diskLimit(file, size) {
  const hash = createHash('sha256');
  const started = performance.now();
  await pipeline(createReadStream(file, { highWaterMark: MiB }), new Transform({ transform(chunk, _e, done) { hash.update(chunk); done(null, chunk); } }), createWriteStream(`${file}.copy`));
  const seconds = (performance.now() - started) / 1000;
  await rm(`${file}.copy`);
  return size / MiB / seconds;
}

/** Writes `size` random bytes to `file`, returning its digest. */
async function makeBlob(file, size) {
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  const started = performance.now();
  for (let left = size; left > 0; left -= 4 * MiB) {
    const piece = randomBytes(Math.min(left, 4 * MiB));
    hash.update(piece);
    if (!out.write(piece)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())));
  return { digest: `sha256:${hash.digest('hex')}`, seconds: (performance.now() - started) / 1000 };
}

async function pushMonolithic(server, repo, file, digest, size) {
  const open = await call(`${server.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' }, 202);
  await call(withDigest(abs(server.url, open.headers.location), digest), {
    method: 'PUT', body: createReadStream(file, { highWaterMark: MiB }), headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
  }, 201);
}

async function pushChunked(server, repo, file, digest, size) {
  const open = await call(`${server.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' }, 202);
  let location = abs(server.url, open.headers.location);
  for (let start = 0; start < size; start += CHUNK) {
    const end = Math.min(start + CHUNK, size) - 1;
    const response = await call(location, {
      method: 'PATCH', body: createReadStream(file, { start, end, highWaterMark: MiB }),
      headers: { 'content-type': 'application/octet-stream', 'content-range': `${start}-${end}`, 'content-length': String(end - start + 1) },
    }, 202);
    location = abs(server.url, response.headers.location);
  }
  await call(withDigest(location, digest), { method: 'PUT' }, 201);
}

async function pull(server, repo, digest, size) {
  const response = await request(`${server.url}/v2/${repo}/blobs/${digest}`);
  let got = 0;
  for await (const chunk of response.body) got += chunk.length;
  if (response.statusCode !== 200 || got !== size) throw new Error(`pull: ${response.statusCode}, ${got} bytes`);
}

async function timed(fn) {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

async function pushSmallImage(server, repo, i) {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', n: i, repo }));
  const layer = randomBytes(2048);
  // POST then PUT with the body: Debian's distribution does not take monolithic POST ?digest=.
  for (const bytes of [config, layer]) {
    const open = await call(`${server.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' }, 202);
    await call(withDigest(abs(server.url, open.headers.location), digestOf(bytes)), { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) } }, 201);
  }
  const manifest = JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digestOf(layer), size: layer.length }],
  });
  await call(`${server.url}/v2/${repo}/manifests/v${i}`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } }, 201);
}

/** `connections` workers loop over one request for LOAD_SECONDS; returns req/s and p99 ms. */
async function load(server, method, pathname, connections) {
  const pool = new Pool(server.url, { connections, pipelining: 1 });
  const latencies = [];
  const until = performance.now() + LOAD_SECONDS * 1000;
  let errors = 0;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      const response = await pool.request({ method, path: pathname, headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      await response.body.dump();
      if (response.statusCode !== 200) errors++;
      latencies.push(performance.now() - t);
    }
  }));
  await pool.close();
  if (errors) throw new Error(`${server.name} ${method} ${pathname}: ${errors} non-200 answers`);
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / LOAD_SECONDS, p99: latencies[Math.floor(latencies.length * 0.99)] };
}

async function benchServer(server, blob, file) {
  const r = {};
  const mbps = (seconds) => BLOB_SIZE / MiB / seconds;
  r.pushMono = mbps(await timed(() => pushMonolithic(server, 'bench/big', file, blob.digest, BLOB_SIZE)));
  r.pull = mbps(await timed(() => pull(server, 'bench/big', blob.digest, BLOB_SIZE)));
  r.pushChunked = mbps(await timed(() => pushChunked(server, 'bench/chunked', file, blob.digest, BLOB_SIZE)));
  r.rssAfterBlobs = peakRssMiB(server.child.pid);
  await pushSmallImage(server, 'bench/small', 'probe');
  const manifestPath = '/v2/bench/small/manifests/vprobe';
  for (const c of [1, 16, 64]) {
    r[`get${c}`] = await load(server, 'GET', manifestPath, c);
    r[`head${c}`] = await load(server, 'HEAD', manifestPath, c);
  }
  const seq = await timed(async () => { for (let i = 0; i < 200; i++) await pushSmallImage(server, 'bench/seq', i); });
  r.seq = 200 / seq;
  const par = await timed(() => Promise.all(Array.from({ length: 8 }, async (_v, w) => {
    for (let i = w; i < 200; i += 8) await pushSmallImage(server, 'bench/par', i);
  })));
  r.par = 200 / par;
  r.rss = peakRssMiB(server.child.pid);
  return r;
}

const stop = async (server) => {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
};

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-bench-oci-'));
  const servers = [];
  try {
    const file = path.join(dir, 'blob.bin');
    const blob = await makeBlob(file, BLOB_SIZE);
    const limit = await diskLimit(file, BLOB_SIZE);
    const results = {};
    for (const start of [startNora, startDistribution]) {
      const server = await start(dir);
      servers.push(server);
      process.stderr.write(`benchmarking ${server.name}...\n`);
      results[server.name] = await benchServer(server, blob, file);
      await stop(server);
    }
    print(results.NORA, results.distribution, limit);
  } finally {
    for (const server of servers) await stop(server);
    await rm(dir, { recursive: true, force: true });
  }
}

function print(n, d, limit) {
  const f = (x, digits = 0) => x.toFixed(digits);
  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  const rows = [
    [`push ${BLOB_SIZE / MiB} MiB blob, monolithic (MB/s)`, f(n.pushMono), f(d.pushMono), ratio(n.pushMono, d.pushMono)],
    [`push ${BLOB_SIZE / MiB} MiB blob, chunked 64 MiB (MB/s)`, f(n.pushChunked), f(d.pushChunked), ratio(n.pushChunked, d.pushChunked)],
    [`pull ${BLOB_SIZE / MiB} MiB blob (MB/s)`, f(n.pull), f(d.pull), ratio(n.pull, d.pull)],
  ];
  for (const c of [1, 16, 64]) {
    for (const m of ['get', 'head']) {
      const a = n[`${m}${c}`];
      const b = d[`${m}${c}`];
      rows.push([`manifest ${m.toUpperCase()} c=${c} (req/s)`, f(a.rps), f(b.rps), ratio(a.rps, b.rps)]);
      rows.push([`manifest ${m.toUpperCase()} c=${c} p99 (ms)`, f(a.p99, 2), f(b.p99, 2), ratio(a.p99, b.p99)]);
    }
  }
  rows.push(['200 small image pushes, sequential (images/s)', f(n.seq, 1), f(d.seq, 1), ratio(n.seq, d.seq)]);
  rows.push(['200 small image pushes, 8 parallel (images/s)', f(n.par, 1), f(d.par, 1), ratio(n.par, d.par)]);
  rows.push(['peak RSS after blob phase (MiB)', f(n.rssAfterBlobs, 1), f(d.rssAfterBlobs, 1), ratio(n.rssAfterBlobs, d.rssAfterBlobs)]);
  rows.push(['peak RSS, whole run (MiB)', f(n.rss, 1), f(d.rss, 1), ratio(n.rss, d.rss)]);
  const lines = [
    `OCI benchmark — ${os.cpus().length} cores, Node ${process.version}; sha256+disk limit on this machine: ${f(limit)} MB/s`,
    '',
    '| measure | NORA | distribution | NORA / distribution |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `NORA blob push vs the sha256+disk limit: monolithic ${f((100 * n.pushMono) / limit)}%, chunked ${f((100 * n.pushChunked) / limit)}%.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
