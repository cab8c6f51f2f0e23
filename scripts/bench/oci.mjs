// OCI benchmark, NORA side by side with Debian's docker-registry (CNCF distribution) in one run,
// all servers up at once and every figure taken for each in turn (so load drift hits all alike):
// blob push (monolithic, chunked 64 MiB PATCHes, streamed PATCH of unknown length), blob pull with
// undici and with curl beside a minimal Node file server on the same file (file-server.mjs),
// server CPU per GiB pulled, manifest and tag-list req/s and p99, small image pushes (sequential
// and 8-parallel), peak RSS. Prints a table with ratios and the targets of issue 23.
// Not a test: `npm run bench:oci` (uses dist/nora.cjs, building it if missing, or NORA_BIN: a binary or another bundle).
// BENCH_BLOB_MIB sets the blob size (1024), BENCH_ROUNDS the blob rounds (3), BENCH_SMALL the
// small pushes (200), BENCH_LOAD_SECONDS each load run (3); BENCH_QUICK=1 makes all of them small.
// BENCH_OCI_ONLY picks sections, comma-separated: blob, load (manifest and tag-list loads; at 1, 16
// and 64 connections even under BENCH_QUICK when it runs without blob), small. BENCH_OCI_MANIFESTS=1
// is BENCH_OCI_ONLY=load. NORA_BEFORE (a binary, or a bundle run with this tree's sea-config flags)
// adds an earlier build, interleaved in the same rounds, and a second table: NORA against it.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';
import { figure, report } from './figures.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MiB = 1024 * 1024;
const QUICK = process.env.BENCH_QUICK === '1';
const BLOB_SIZE = Number(process.env.BENCH_BLOB_MIB ?? (QUICK ? 64 : 1024)) * MiB;
const CHUNK = 64 * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 2 : 3));
const SMALL = Number(process.env.BENCH_SMALL ?? (QUICK ? 24 : 200));
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? (QUICK ? 1 : 3));
/** Small pushes go in this many interleaved rounds per server, so load drift hits each alike. */
const SMALL_ROUNDS = Math.max(1, Number(process.env.BENCH_SMALL_ROUNDS ?? 4));
const PARTS = new Set((process.env.BENCH_OCI_ONLY ?? (process.env.BENCH_OCI_MANIFESTS === '1' ? 'load' : 'blob,load,small')).split(','));

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

async function startNora(dir, bin = process.env.NORA_BIN, name = 'NORA') {
  const port = await freePort();
  if (!bin && !existsSync(path.join(ROOT, 'dist', 'nora.cjs'))) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  // The bundle runs with the V8 flags the binary bakes in, so its GC behaves as the binary's does.
  const flags = JSON.parse(readFileSync(path.join(ROOT, 'sea-config.json'), 'utf8')).execArgv ?? [];
  const bundle = bin?.endsWith('.cjs') ? path.resolve(bin) : path.join(ROOT, 'dist', 'nora.cjs');
  const [cmd, ...lead] = bin && !bin.endsWith('.cjs') ? [path.resolve(bin)] : [process.execPath, ...flags, bundle];
  const child = spawn(cmd, [...lead, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', path.join(dir, `${name.replace(/\W+/g, '-')}-data`), '--log-level', 'error'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/v2/`, child, name);
  return { name, url, child };
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

/** A process's VmRSS, VmHWM (peak since start or the last resetPeak), RssAnon and RssFile, in MiB. */
const memoryOf = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM'), anon: kib('RssAnon'), file: kib('RssFile') };
};

/** Starts a new peak: writing 5 to clear_refs resets VmHWM to the current VmRSS (Linux). */
const resetPeak = (pid) => writeFileSync(`/proc/${pid}/clear_refs`, '5');

/**
 * Peak VmRSS per phase: resets every registry's VmHWM, runs the phase, reads the peaks. The
 * whole run's peak is the largest of the phases (a reset forgets the earlier ones).
 */
async function phasePeak(registries, peaks, name, fn) {
  // Each phase starts with the disk flushed: gigabytes of dirty pages from the blob pushes would
  // otherwise be written back during the next phase and land on whichever server fsyncs most.
  execFileSync('sync');
  for (const s of registries) resetPeak(s.child.pid);
  process.stderr.write(`bench:oci — ${name} (at ${Date.now()})\n`);
  const result = await fn();
  peaks.push({ name, mib: new Map(registries.map((s) => [s, memoryOf(s.child.pid).hwm])) });
  return result;
}

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

async function pushStreamed(server, repo, file, digest) {
  // One PATCH of unknown length (chunked transfer encoding), as docker and containerd push.
  const open = await call(`${server.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' }, 202);
  const response = await call(abs(server.url, open.headers.location), {
    method: 'PATCH', body: createReadStream(file, { highWaterMark: MiB }), headers: { 'content-type': 'application/octet-stream' },
  }, 202);
  await call(withDigest(abs(server.url, response.headers.location), digest), { method: 'PUT' }, 201);
}

const blobUrl = (server, repo, digest) => (server.fileServer ? `${server.url}/` : `${server.url}/v2/${repo}/blobs/${digest}`);

async function pull(server, repo, digest, size) {
  const response = await request(blobUrl(server, repo, digest));
  let got = 0;
  for await (const chunk of response.body) got += chunk.length;
  if (response.statusCode !== 200 || got !== size) throw new Error(`pull: ${response.statusCode}, ${got} bytes`);
}

async function curlPull(server, repo, digest, size) {
  const out = execFileSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{size_download}', blobUrl(server, repo, digest)], { encoding: 'utf8' });
  if (out !== `200 ${size}`) throw new Error(`curl pull from ${server.name}: ${out}`);
}

/** CPU time (user + system, seconds) a process has used so far, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
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

/** `connections` workers loop over one request for `seconds`; returns req/s, p99 ms and the server's CPU us per request. */
async function load(server, method, pathname, connections, seconds = LOAD_SECONDS) {
  const pool = new Pool(server.url, { connections, pipelining: 1 });
  const latencies = [];
  const before = cpuSeconds(server.child.pid);
  const until = performance.now() + seconds * 1000;
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
  const cpu = cpuSeconds(server.child.pid) - before;
  latencies.sort((a, b) => a - b);
  // CPU per request (user + system, us): what machine load disturbs least.
  return { rps: latencies.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)], cpuUs: (cpu * 1e6) / latencies.length };
}

const stop = async (server) => {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
};

async function startFileServer(file) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'bench', 'file-server.mjs'), file, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/`, child, 'file server');
  return { name: 'node file server', url, child, fileServer: true };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Runs `fn(server, round)` for every server, ROUNDS times interleaved; returns each server's median
 * MB/s, and in `.cpu` its own CPU ms per GiB moved (user + system, which machine load disturbs less).
 */
async function blobFigure(servers, fn) {
  const times = new Map(servers.map((s) => [s, []]));
  const cpu = new Map(servers.map((s) => [s, 0]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const server of servers) {
      const before = cpuSeconds(server.child.pid);
      times.get(server).push(await timed(() => fn(server, round)));
      cpu.set(server, cpu.get(server) + cpuSeconds(server.child.pid) - before);
    }
  }
  const rates = new Map(servers.map((s) => [s, BLOB_SIZE / MiB / median(times.get(s))]));
  rates.cpu = new Map(servers.map((s) => [s, (cpu.get(s) * 1000) / ((ROUNDS * BLOB_SIZE) / 1024 ** 3)]));
  return rates;
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-bench-oci-'));
  const servers = [];
  try {
    const file = path.join(dir, 'blob.bin');
    const blob = PARTS.has('blob') ? await makeBlob(file, BLOB_SIZE) : undefined;
    const limit = blob ? await diskLimit(file, BLOB_SIZE) : undefined;
    const nora = await startNora(dir);
    servers.push(nora);
    const dist = await startDistribution(dir);
    servers.push(dist);
    const before = process.env.NORA_BEFORE ? await startNora(dir, process.env.NORA_BEFORE, 'NORA before') : undefined;
    if (before) servers.push(before);
    const registries = before ? [nora, dist, before] : [nora, dist];
    const rows = [];
    const againstBefore = [];
    const ctx = {
      nora, dist, before, registries, rows, peaks: [],
      /** Under NORA_BEFORE: the row `name` of NORA against the earlier build, from a Map by server. */
      vsBefore: (name, values, target = '', digits = 0) => {
        if (before) againstBefore.push(figure(name, values.get(nora), values.get(before), before.name, target, digits));
      },
    };
    process.stderr.write(`bench:oci — ${[...PARTS].join(',')}: ${BLOB_SIZE / MiB} MiB blobs x ${ROUNDS} rounds, ${SMALL} small pushes, ${LOAD_SECONDS}s load runs\n`);
    const idle = new Map(registries.map((s) => [s, memoryOf(s.child.pid)]));
    if (blob) {
      const files = await startFileServer(file);
      servers.push(files);
      await blobFigures({ ...ctx, files, file, blob });
    }
    if (PARTS.has('load')) await manifestFigures(ctx);
    if (PARTS.has('small')) await smallPushFigures(ctx);
    rows.push(figure('idle RSS at start (MiB)', idle.get(nora).rss, idle.get(dist).rss, dist.name, '', 1));
    for (const { name, mib } of ctx.peaks) rows.push(figure(`peak RSS, ${name} (MiB)`, mib.get(nora), mib.get(dist), dist.name, '', 1));
    const whole = (s) => Math.max(idle.get(s).rss, ...ctx.peaks.map(({ mib }) => mib.get(s)));
    rows.push(figure('peak RSS, whole run (MiB)', whole(nora), whole(dist), dist.name, '', 1));
    ctx.vsBefore('idle RSS at start (MiB)', new Map(registries.map((s) => [s, idle.get(s).rss])), '', 1);
    for (const { name, mib } of ctx.peaks) ctx.vsBefore(`peak RSS, ${name} (MiB)`, mib, '', 1);
    ctx.vsBefore('peak RSS, whole run (MiB)', new Map(registries.map((s) => [s, whole(s)])), '', 1);
    const notes = [
      ...(limit === undefined ? [] : [`sha256+disk limit on this machine: ${limit.toFixed(0)} MB/s.`]),
      "NORA runs dist/nora.cjs with the binary's V8 flags (sea-config.json).",
      ...(blob ? [`Blob figures are medians of ${ROUNDS} interleaved rounds.`] : []),
      ...(PARTS.has('small') ? [`Small pushes go in ${SMALL_ROUNDS} interleaved rounds.`] : []),
      `Manifest loads follow an untimed ${WARM_SECONDS} s GET and HEAD run on each registry: they measure a serving registry, not NORA's JIT compiling the path on its first requests (start-up is bench:startup's).`,
      'Peak RSS is per phase (VmHWM reset between phases); each phase starts after `sync`.',
    ];
    report('OCI (bench:oci)', rows, notes.join(' '));
    if (before) report('OCI, NORA against NORA before (bench:oci, NORA_BEFORE)', againstBefore, `NORA before: ${process.env.NORA_BEFORE}, in the same interleaved rounds.`);
  } finally {
    for (const server of servers) await stop(server);
    await rm(dir, { recursive: true, force: true });
  }
}

async function blobFigures({ nora, dist, files, file, blob, registries, rows, peaks, vsBefore }) {
  const size = `${BLOB_SIZE / MiB} MiB`;
  const { mono, chunked, streamed } = await phasePeak(registries, peaks, 'blob pushes', async () => ({
    mono: await blobFigure(registries, (s, round) => pushMonolithic(s, `bench/mono${round}`, file, blob.digest, BLOB_SIZE)),
    chunked: await blobFigure(registries, (s, round) => pushChunked(s, `bench/chunked${round}`, file, blob.digest, BLOB_SIZE)),
    streamed: await blobFigure(registries, (s, round) => pushStreamed(s, `bench/streamed${round}`, file, blob.digest)),
  }));
  rows.push(figure(`blob push ${size}, monolithic (MB/s)`, mono.get(nora), mono.get(dist), dist.name, '>= 1.00'));
  rows.push(figure('server CPU per GiB pushed, monolithic (ms)', mono.cpu.get(nora), mono.cpu.get(dist), dist.name));
  rows.push(figure(`blob push ${size}, chunked 64 MiB PATCHes (MB/s)`, chunked.get(nora), chunked.get(dist), dist.name, '>= 1.00'));
  rows.push(figure('server CPU per GiB pushed, chunked (ms)', chunked.cpu.get(nora), chunked.cpu.get(dist), dist.name));
  rows.push(figure(`blob push ${size}, streamed PATCH (MB/s)`, streamed.get(nora), streamed.get(dist), dist.name, '>= 1.00'));
  rows.push(figure('server CPU per GiB pushed, streamed (ms)', streamed.cpu.get(nora), streamed.cpu.get(dist), dist.name));
  for (const [kind, rates] of [['monolithic', mono], ['chunked', chunked], ['streamed', streamed]]) {
    vsBefore(`blob push ${size}, ${kind} (MB/s)`, rates, '>= 0.95');
    vsBefore(`server CPU per GiB pushed, ${kind} (ms)`, rates.cpu, '<= 1.05');
  }

  const pullers = [...registries, files];
  const { pulled, curled } = await phasePeak(registries, peaks, 'blob pulls', async () => ({
    pulled: await blobFigure(pullers, (s) => pull(s, 'bench/mono0', blob.digest, BLOB_SIZE)),
    curled: await blobFigure(pullers, (s) => curlPull(s, 'bench/mono0', blob.digest, BLOB_SIZE)),
  }));
  const cpuPerGiB = pulled.cpu;
  rows.push(figure(`blob pull ${size}, undici (MB/s)`, pulled.get(nora), pulled.get(files), files.name, '>= 0.90'));
  rows.push(figure(`blob pull ${size}, curl (MB/s)`, curled.get(nora), curled.get(files), files.name, '>= 0.90'));
  rows.push(figure(`blob pull ${size}, curl, vs distribution (MB/s)`, curled.get(nora), curled.get(dist), dist.name));
  rows.push(figure('server CPU per GiB pulled, undici (ms)', cpuPerGiB.get(nora), cpuPerGiB.get(files), files.name, '<= 1.10'));
  rows.push(figure('server CPU per GiB pulled, undici, vs distribution (ms)', cpuPerGiB.get(nora), cpuPerGiB.get(dist), dist.name));
  vsBefore(`blob pull ${size}, undici (MB/s)`, pulled, '>= 0.95');
  vsBefore(`blob pull ${size}, curl (MB/s)`, curled, '>= 0.95');
  vsBefore('server CPU per GiB pulled, undici (ms)', cpuPerGiB, '<= 1.05');
}

const WARM_SECONDS = 1;

async function manifestFigures({ nora, dist, before, registries, rows, peaks, vsBefore }) {
  for (const s of registries) await pushSmallImage(s, 'bench/small', 'probe');
  const manifestPath = '/v2/bench/small/manifests/vprobe';
  for (const s of registries) for (const method of ['GET', 'HEAD']) await load(s, method, manifestPath, 1, WARM_SECONDS);
  const tags = await phasePeak(registries, peaks, 'manifest and tag-list load', async () => {
    for (const c of QUICK && PARTS.has('blob') ? [16, 64] : [1, 16, 64]) {
      for (const method of ['GET', 'HEAD']) {
        const n = await load(nora, method, manifestPath, c);
        const d = await load(dist, method, manifestPath, c);
        rows.push(figure(`manifest ${method} c=${c} (req/s)`, n.rps, d.rps, dist.name, '>= 1.00'));
        rows.push(figure(`manifest ${method} c=${c} p99 (ms)`, n.p99, d.p99, dist.name, c === 64 || (c === 1 && method === 'GET') ? '<= 1.00' : '', 2));
        if (c === 1) rows.push(figure(`server CPU per manifest ${method}, c=1 (us)`, n.cpuUs, d.cpuUs, dist.name));
        if (before && c !== 16) {
          const b = await load(before, method, manifestPath, c);
          vsBefore(`manifest ${method} c=${c} (req/s)`, new Map([[nora, n.rps], [before, b.rps]]), '>= 0.95');
          vsBefore(`manifest ${method} c=${c} p99 (ms)`, new Map([[nora, n.p99], [before, b.p99]]), '', 2);
        }
      }
    }
    const answers = [];
    for (const s of registries) answers.push(await load(s, 'GET', '/v2/bench/small/tags/list', 64));
    return answers;
  });
  rows.push(figure('tag list GET c=64 (req/s)', tags[0].rps, tags[1].rps, dist.name, '>= 1.00'));
  rows.push(figure('tag list GET c=64 p99 (ms)', tags[0].p99, tags[1].p99, dist.name, '<= 1.00', 2));
  vsBefore('tag list GET c=64 (req/s)', new Map(registries.map((s, i) => [s, tags[i].rps])), '>= 0.95');
}

/**
 * Pushes images 0..SMALL-1 on every server in SMALL_ROUNDS interleaved rounds (`push(server, from,
 * to)` pushes one round's images); returns each server's images/s over its own rounds.
 */
async function smallFigure(servers, push) {
  const seconds = new Map(servers.map((s) => [s, 0]));
  for (let round = 0; round < SMALL_ROUNDS; round++) {
    const from = Math.floor((round * SMALL) / SMALL_ROUNDS);
    const to = Math.floor(((round + 1) * SMALL) / SMALL_ROUNDS);
    // Each round starts with the next server: none always runs first (or last) in a round.
    const order = [...servers.slice(round % servers.length), ...servers.slice(0, round % servers.length)];
    for (const server of order) seconds.set(server, seconds.get(server) + await timed(() => push(server, from, to)));
  }
  return new Map(servers.map((s) => [s, SMALL / seconds.get(s)]));
}

async function smallPushFigures({ nora, dist, registries, rows, peaks, vsBefore }) {
  const { seq, par } = await phasePeak(registries, peaks, 'small image pushes', async () => ({
    seq: await smallFigure(registries, async (s, from, to) => { for (let i = from; i < to; i++) await pushSmallImage(s, 'bench/seq', i); }),
    par: await smallFigure(registries, (s, from, to) => Promise.all(Array.from({ length: 8 }, async (_v, w) => {
      for (let i = from + w; i < to; i += 8) await pushSmallImage(s, 'bench/par', i);
    }))),
  }));
  rows.push(figure(`${SMALL} small image pushes, sequential (images/s)`, seq.get(nora), seq.get(dist), dist.name, '>= 1.00', 1));
  rows.push(figure(`${SMALL} small image pushes, 8 parallel (images/s)`, par.get(nora), par.get(dist), dist.name, '>= 1.00', 1));
  vsBefore(`${SMALL} small image pushes, sequential (images/s)`, seq, '>= 0.95', 1);
  vsBefore(`${SMALL} small image pushes, 8 parallel (images/s)`, par, '>= 0.95', 1);
}

await main();
