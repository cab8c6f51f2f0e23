// Start-up and memory benchmark, NORA side by side with Debian's docker-registry (CNCF
// distribution) in one interleaved run:
//   - time from spawn to the first `/v2/` 200 (what a client can use), and the process's CPU time
//     at that moment (less disturbed by a loaded machine than the wall time);
//   - idle memory once started: VmRSS, RssAnon (private) and RssFile, and for the binary a
//     /proc/PID/smaps breakdown (binary text, read-only data with ICU and V8's snapshot, the SEA
//     blob, malloc heap, other anonymous memory = mostly V8's heap);
//   - with --load: peak VmRSS of the binary while scripts/bench/oci.mjs runs its OCI load against
//     it (that script is run as is, its own table passed through to stderr).
// Targets: the binary dist/nora-linux-<arch> (or NORA_BIN; built by `npm run build:binaries`),
// `node dist/nora.cjs` with the binary's V8 flags (what bin/run.js runs once it has bundled) and
// docker-registry. Not a test: `node scripts/bench/startup.mjs [--load]`.
// BENCH_STARTUP_RUNS (default 10) sets the rounds; BENCH_BLOB_MIB is passed on to oci.mjs;
// NORA_BIN_BEFORE adds binaries to compare with, comma-separated (e.g. one built from main).
// Two floors run in the same rounds, on the pinned Node with the binary's V8 flags: a bare
// node:http server and fastify with two routes, bundled (floor-fastify-entry.mjs). They show
// what the runtime and the HTTP framework cost before any NORA code runs.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { figure, report } from './figures.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 10);
const WITH_LOAD = process.argv.includes('--load');
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const SEA_FLAGS = JSON.parse(readFileSync(path.join(ROOT, 'sea-config.json'), 'utf8')).execArgv ?? [];

const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

/** One GET on a fresh connection: the status, or 0 when nothing listens yet. */
const status = (port, urlPath) => new Promise((resolve) => {
  const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => { res.resume(); resolve(res.statusCode); });
  req.on('error', () => resolve(0));
});

const procStatus = (pid) => Object.fromEntries(readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')
  .map((line) => /^(\w+):\s+(\d+) kB/.exec(line)).filter(Boolean).map((m) => [m[1], Number(m[2]) / 1024]));

/** utime + stime of `pid`, in ms. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Resident MiB of `pid` by kind of mapping; `binary` names the executable's file. */
function smapsBreakdown(pid, binary) {
  const parts = {};
  let kind;
  const mappings = [];
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S+) ([0-9a-f]+) \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const [, perms, offset, name] = head;
      kind = { perms, offset: parseInt(offset, 16), name };
      mappings.push(kind);
    } else if (line.startsWith('Rss:') && kind) {
      kind.rss = Number(line.split(/\s+/)[1]) / 1024;
    }
  }
  // The SEA blob is the last read-only segment of the binary (postject appends it as a note).
  const readOnly = mappings.filter((m) => m.name === binary && m.perms === 'r--p');
  const blobOffset = Math.max(...readOnly.map((m) => m.offset));
  for (const m of mappings) {
    let label;
    if (m.name === binary) label = m.perms.includes('x') ? 'binary text' : m.perms === 'r--p' ? (m.offset === blobOffset ? 'SEA blob (the entry; the bundle, start cache and chunks are read with pread)' : m.offset === 0 ? 'ELF headers, symbols' : 'read-only data (ICU, V8 snapshot)') : 'binary data';
    else if (m.name === '[heap]') label = 'malloc heap';
    else if (m.name === '' || m.name.startsWith('[anon')) label = 'anonymous (V8 heap, stacks)';
    else label = m.name.startsWith('/') ? 'shared libraries' : 'other';
    parts[label] = (parts[label] ?? 0) + (m.rss ?? 0);
  }
  return parts;
}

async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const BARE_HTTP = "require('node:http').createServer((q, r) => r.end('{}')).listen(Number(process.argv[1]), '127.0.0.1')";
const FLOOR_HTTP = 'Node http server (floor)';
const FLOOR_FASTIFY = 'fastify, 2 routes, bundled (floor)';

async function targets(work) {
  const list = [];
  const binary = process.env.NORA_BIN ? path.resolve(process.env.NORA_BIN) : path.join(ROOT, 'dist', `nora-linux-${process.arch}`);
  if (existsSync(binary)) list.push({ name: 'NORA binary', binary, command: (port) => [binary, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', path.join(work, 'bin-data'), '--log-level', 'error'], health: true });
  else process.stderr.write(`startup: ${binary} missing (npm run build:binaries); measuring without it\n`);
  // NORA_BIN_BEFORE: more binaries, comma-separated (say, one built from main), measured in the same rounds.
  for (const [i, file] of (process.env.NORA_BIN_BEFORE ?? '').split(',').filter(Boolean).entries()) {
    const before = path.resolve(file);
    list.push({ name: `NORA binary ${path.basename(before)}`, binary: before, command: (port) => [before, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', path.join(work, `before-${i}-data`), '--log-level', 'error'], health: true });
  }
  if (!existsSync(path.join(ROOT, 'dist', 'nora.cjs'))) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  list.push({ name: 'node dist/nora.cjs', command: (port) => [process.execPath, ...SEA_FLAGS, path.join(ROOT, 'dist', 'nora.cjs'), 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', path.join(work, 'cjs-data'), '--log-level', 'error'], health: true });
  const fastifyBundle = path.join(work, 'floor-fastify.cjs');
  await build({ absWorkingDir: ROOT, entryPoints: ['scripts/bench/floor-fastify-entry.mjs'], outfile: fastifyBundle, bundle: true, platform: 'node', target: 'node24', format: 'cjs', logLevel: 'warning' });
  list.push({ name: FLOOR_HTTP, command: (port) => [process.execPath, ...SEA_FLAGS, '-e', BARE_HTTP, String(port)], health: false });
  list.push({ name: FLOOR_FASTIFY, command: (port) => [process.execPath, ...SEA_FLAGS, fastifyBundle, String(port)], health: true });
  list.push({
    name: 'distribution', health: false,
    command: (port) => {
      const config = path.join(work, `registry-${port}.yml`);
      writeFileSync(config, ['version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:', `    rootdirectory: ${path.join(work, 'registry-data')}`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'));
      return ['docker-registry', 'serve', config];
    },
  });
  return list;
}

/** Spawns `target`, polls /v2/ until 200; answers the wall and CPU ms to it and idle memory. */
async function startOnce(target, { idle = false } = {}) {
  const port = await freePort();
  const [cmd, ...args] = target.command(port);
  const started = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${target.name} exited with ${child.exitCode}: ${stderr}`);
      if (await status(port, '/v2/') === 200) break;
      if (performance.now() - started > 30_000) throw new Error(`${target.name} did not answer /v2/ in 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const wallMs = performance.now() - started;
    const cpu = cpuMs(child.pid);
    if (target.health && await status(port, '/health') !== 200) throw new Error(`${target.name}: /health is not 200 once /v2/ is`);
    let memory;
    if (idle) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const s = procStatus(child.pid);
      memory = { rss: s.VmRSS, anon: s.RssAnon, file: s.RssFile, ...(target.binary ? { smaps: smapsBreakdown(child.pid, target.binary) } : {}) };
    }
    return { wallMs, cpuMs: cpu, memory };
  } finally {
    await stopProcess(child);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const f = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** Runs oci.mjs against the binary and samples its VmRSS every 50 ms; answers the peak. */
async function peakUnderLoad(binary) {
  const oci = spawn(process.execPath, [path.join(ROOT, 'scripts', 'bench', 'oci.mjs')], { env: { ...process.env, NORA_BIN: binary }, stdio: ['ignore', 'pipe', 'inherit'] });
  oci.stdout.pipe(process.stderr);
  const exited = new Promise((resolve) => oci.once('exit', resolve));
  let peak = { rss: 0 };
  let pid;
  let done = false;
  void exited.then(() => { done = true; });
  while (!done) {
    pid ??= readdirSync('/proc').find((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
        return ppid === oci.pid && cmdline[0] === binary && cmdline[1] === 'serve';
      } catch { return false; }
    });
    if (pid) {
      try {
        const s = procStatus(pid);
        // A process that has exited but is not yet reaped lists no memory lines.
        // oci.mjs resets VmHWM at each of its phases, so the largest one seen is the run's.
        const hwm = Math.max(peak.hwm ?? 0, s.VmHWM ?? 0);
        if (s.VmRSS > peak.rss) peak = { rss: s.VmRSS, anon: s.RssAnon, file: s.RssFile, hwm };
        else peak.hwm = hwm;
      } catch { /* exited between samples */ }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if ((await exited) !== 0) throw new Error(`oci.mjs exited with ${oci.exitCode}`);
  return peak;
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'nora-bench-startup-'));
  try {
    const list = await targets(work);
    const loadBefore = load();
    // Evict the binary from the page cache: a freshly written file maps in large folios and
    // would read high in RssFile (shared/notes/single-binary.md). One discarded start each warms
    // the page cache the ordinary way.
    for (const t of list) if (t.binary) execFileSync('dd', [`if=${t.binary}`, 'iflag=nocache', 'count=0', 'status=none']);
    for (const t of list) await startOnce(t);
    const results = new Map(list.map((t) => [t.name, []]));
    for (let round = 0; round < RUNS; round++) {
      // Interleaved, rotating the order so no target always starts right after another.
      for (let i = 0; i < list.length; i++) {
        const t = list[(round + i) % list.length];
        results.get(t.name).push(await startOnce(t, { idle: round === RUNS - 1 }));
      }
    }
    const dist = results.get('distribution');
    const distWall = median(dist.map((r) => r.wallMs));
    const distCpu = median(dist.map((r) => r.cpuMs));
    const lines = [
      `Start-up and idle memory — ${os.cpus().length} cores, Node ${process.version}, ${RUNS} interleaved rounds; load average before ${loadBefore}, after ${load()}`,
      '',
      '| target | first /v2/ 200, median (min) ms | ratio to distribution | CPU ms to it, median | idle VmRSS MiB | RssAnon | RssFile |',
      '|---|---:|---:|---:|---:|---:|---:|',
    ];
    for (const t of list) {
      const rs = results.get(t.name);
      const wall = median(rs.map((r) => r.wallMs));
      const memory = rs.at(-1).memory;
      lines.push(`| ${t.name} | ${f(wall)} (${f(Math.min(...rs.map((r) => r.wallMs)))}) | ${f(wall / distWall, 2)}× | ${f(median(rs.map((r) => r.cpuMs)))}${t.name === 'distribution' ? '' : ` (${f(median(rs.map((r) => r.cpuMs)) / distCpu, 1)}×)`} | ${f(memory.rss, 1)} | ${f(memory.anon, 1)} | ${f(memory.file, 1)} |`);
    }
    const binaryTarget = list.find((t) => t.binary);
    const smaps = binaryTarget && results.get(binaryTarget.name).at(-1).memory.smaps;
    if (smaps) {
      lines.push('', `Idle resident memory of the binary by mapping (/proc/PID/smaps, MiB):`, '', '| mapping | MiB |', '|---|---:|');
      for (const [label, mib] of Object.entries(smaps).sort((a, b) => b[1] - a[1])) lines.push(`| ${label} | ${f(mib, 1)} |`);
    }
    let peak;
    if (WITH_LOAD && binaryTarget) {
      peak = await peakUnderLoad(binaryTarget.binary);
      lines.push('', `Binary under scripts/bench/oci.mjs (BENCH_BLOB_MIB=${process.env.BENCH_BLOB_MIB ?? 1024}), sampled every 50 ms; load average after ${load()}:`, '',
        '| figure | MiB |', '|---|---:|',
        `| peak VmRSS | ${f(peak.rss, 1)} |`, `| RssAnon at that peak | ${f(peak.anon, 1)} |`, `| RssFile at that peak | ${f(peak.file, 1)} |`, `| largest VmHWM seen | ${f(peak.hwm, 1)} |`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    if (binaryTarget) reportFigures(results, binaryTarget.name, peak);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The issue's targets (absolute: 100 ms, 60 and 100 MB) and the peers and floors as context, for run-all.mjs. */
function reportFigures(results, binaryName, peak) {
  const wall = (name) => median(results.get(name).map((r) => r.wallMs));
  const cpu = (name) => median(results.get(name).map((r) => r.cpuMs));
  const idle = (name) => results.get(name).at(-1).memory.rss;
  const rows = [
    figure('binary: wall ms to the first /v2/ 200', wall(binaryName), 100, 'issue target', '<= 1.00'),
    figure('binary: wall ms to the first /v2/ 200', wall(binaryName), wall('distribution'), 'distribution'),
    figure('binary: CPU ms to the first /v2/ 200', cpu(binaryName), cpu('distribution'), 'distribution'),
    figure('binary: CPU ms to the first /v2/ 200', cpu(binaryName), cpu(FLOOR_HTTP), FLOOR_HTTP),
    figure('node dist/nora.cjs: CPU ms to the first /v2/ 200', cpu('node dist/nora.cjs'), cpu(FLOOR_FASTIFY), FLOOR_FASTIFY),
    figure('binary: idle VmRSS (MiB)', idle(binaryName), 60, 'issue target', '<= 1.00', 1),
    figure('binary: idle VmRSS (MiB)', idle(binaryName), idle(FLOOR_HTTP), FLOOR_HTTP, '', 1),
    figure('binary: idle VmRSS (MiB)', idle(binaryName), idle(FLOOR_FASTIFY), FLOOR_FASTIFY, '', 1),
    figure('binary: idle VmRSS (MiB)', idle(binaryName), idle('distribution'), 'distribution', '', 1),
  ];
  if (peak) rows.push(figure('binary: peak VmRSS under bench:oci (MiB)', peak.rss, 100, 'issue target', '<= 1.00', 1));
  report('Start-up and memory (bench:startup)', rows);
}

await main();
