// Foundation benchmark: startup, idle memory and memory under load of the single-executable
// binary, side by side with `node dist/nora.cjs` on the same Node 24 in the same run, plus a
// 2 GiB blob streamed through the fs blob store. Prints markdown tables and saves the raw figures
// to .bench/foundation.json.
//
//   npm run bench:foundation [-- BINARY]     (default dist/nora-linux-x64, built if missing)
//
// Method, and why:
// - Subjects: the binary (V8 flags baked in by sea-config.json), `node dist/nora.cjs` with no flags
//   (what running from source costs), and `node <sea execArgv> dist/nora.cjs`, so the effect of the
//   flags is told apart from the effect of packaging.
// - Page cache: a freshly written executable sits in the page cache in large folios, and mapping it
//   then charges whole folios to RSS (idle VmRSS reads ~20 MB high; notes/single-binary.md). So
//   each executable is evicted from the page cache first (dd iflag=nocache, i.e.
//   posix_fadvise(DONTNEED)) and one discarded warm-up boot reloads it by page faults. Every figure
//   below therefore comes from a boot with a warm page cache loaded the way a deployed binary's is
//   ("second boot"), not from a cold disk.
// - Startup: spawn → first 200 from GET /health (the request goes out as soon as the "listening"
//   line appears in the server's log file, polled every 2 ms), median of 10 boots, each with a new
//   empty data directory. The server logs to a file (see boot()), as a deployed one would.
//   Also the CPU time (user+sys, all threads, from /proc/<pid>/stat) the server used until then:
//   unlike wall-clock time, it barely moves when other jobs share the machine.
// - Idle memory: /proc/<pid>/status ~1 s after the spawn, median of the same 10 boots. VmRSS
//   includes the clean, shared, file-backed pages of the executable (~35-45 MB for any Node);
//   RssAnon is the private memory NORA's budget is about.
// - Load: a fresh boot, 10,000 GET /health over 16 keep-alive connections from this process, then
//   (when wrk is installed) 10 s of `wrk -c16`; memory is read after each.
// - Blob stream: scripts/bench/blob-stream-entry.ts bundled with esbuild, run under Node 24 with
//   the binary's flags: write 2 GiB through BlobStore.write() into FsStore (fsynced), read it back
//   through BlobStore.open() and hash it. The read comes from the page cache (just written).
// The machine has 2 cores and may be shared (the load average is printed; when it exceeds the
// cores, trust CPU time and memory over wall-clock figures). Compare columns of one run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const NODE = realpathSync(path.join(root, 'node_modules', '.bin', 'node'));
const BUNDLE = path.join(root, 'dist', 'nora.cjs');
const BOOTS = 10;
const REQUESTS = 10_000;
const CONCURRENCY = 16;
const WRK_SECONDS = 10;
const IDLE_AFTER_MS = 1000;
const BLOB_BYTES = Number(process.env.BENCH_BLOB_BYTES ?? 2 * 1024 ** 3);
const seaExecArgv = JSON.parse(readFileSync(path.join(root, 'sea-config.json'), 'utf8')).execArgv ?? [];

// ---------------------------------------------------------------------------------------------
// Inputs: build what is missing, so `npm run bench:foundation` works from a clean checkout.

const binaryArg = process.argv[2];
const binary = path.resolve(root, binaryArg ?? 'dist/nora-linux-x64');
if (!existsSync(BUNDLE)) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (!existsSync(binary)) {
  if (binaryArg) throw new Error(`no such binary: ${binary}`);
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-binaries.mjs'), '--arch', 'x64'], { stdio: 'inherit' });
}
if (statSync(BUNDLE).mtimeMs > statSync(binary).mtimeMs + 60_000) {
  console.warn(`note: dist/nora.cjs is newer than ${path.relative(root, binary)}; the columns may run different code`);
}

// A clean environment: NODE_OPTIONS would change V8 flags (and reject the code cache), NORA_*
// would change the server's configuration.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('NORA_')));

const subjects = [
  { name: path.basename(binary), file: binary, cmd: [binary] },
  { name: 'node dist/nora.cjs', file: NODE, cmd: [NODE, BUNDLE] },
  { name: `node ${seaExecArgv.join(' ')} dist/nora.cjs`, file: NODE, cmd: [NODE, ...seaExecArgv, BUNDLE] },
];

// ---------------------------------------------------------------------------------------------
// Helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Memory figures of a process in KiB, from /proc/<pid>/status. */
function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { VmRSS: field('VmRSS'), RssAnon: field('RssAnon'), RssFile: field('RssFile'), VmHWM: field('VmHWM') };
}

const TICKS_PER_SECOND = 100; // USER_HZ, what /proc/<pid>/stat counts utime and stime in

/** CPU time (user + system, all threads, ms) a process has used so far: robust to a busy machine. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND; // utime, stime
}

/** Drops a file's pages from the page cache (posix_fadvise DONTNEED via GNU dd). */
function evict(file) {
  const result = spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
  if (result.status !== 0) console.warn(`note: could not evict ${file} from the page cache: ${result.stderr}`);
}

function get(url, agent) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Starts `nora serve` on port 0 with a new data dir; resolves once /health answers 200.
 * The server logs to a file, not a pipe: this process is busy (it is the load client, and wrk runs
 * synchronously), and a pipe it does not drain makes the server buffer log lines in memory —
 * which is then what the memory figures would measure (it even hits the heap ceiling).
 */
async function boot(subject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nora-bench-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'nora.log');
  const log = openSync(logFile, 'w');
  const started = performance.now();
  const child = spawn(subject.cmd[0], [...subject.cmd.slice(1), 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: dir, env, stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exitCode;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exitCode = code ?? signal))));
  const output = () => readFileSync(logFile, 'utf8');
  let url;
  while (!url) {
    if (exitCode !== undefined) throw new Error(`${subject.name} exited (${exitCode}) before listening:\n${output()}`);
    if (performance.now() - started > 15_000) throw new Error(`${subject.name}: no "listening" line in 15 s:\n${output()}`);
    url = /"url":"(http:[^"]+)"[^\n]*"msg":"listening"/.exec(output())?.[1];
    if (!url) await sleep(2);
  }
  const status = await get(`${url}/health`, new http.Agent({ keepAlive: false }));
  const startupMs = performance.now() - started;
  const startupCpuMs = cpuMs(child.pid);
  if (status !== 200) throw new Error(`${subject.name}: /health returned ${status}`);
  if (output().includes('Code cache data rejected')) throw new Error(`${subject.name}: V8 rejected the code cache`);
  return {
    pid: child.pid, url, startupMs, startupCpuMs, started,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`${subject.name}: exit ${code} after SIGTERM:\n${output().slice(-4000)}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function idleStatus(server) {
  await sleep(Math.max(0, server.started + IDLE_AFTER_MS - performance.now()));
  return procStatus(server.pid);
}

/** `total` GET /health over `concurrency` keep-alive connections; returns requests per second. */
async function hammer(url, total, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let issued = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (issued < total) {
      issued++;
      const status = await get(`${url}/health`, agent);
      if (status !== 200) throw new Error(`/health returned ${status} under load`);
    }
  }));
  agent.destroy();
  return total / ((performance.now() - started) / 1000);
}

function wrk(url) {
  const result = spawnSync('wrk', ['-t2', `-c${CONCURRENCY}`, `-d${WRK_SECONDS}s`, `${url}/health`], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(result.stdout)?.[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: .*/.exec(result.stdout)?.[0];
  return { rps, errors };
}

// ---------------------------------------------------------------------------------------------
// Measurements

const hasWrk = spawnSync('wrk', ['--version']).error === undefined;
const loadBefore = os.loadavg()[0];
const results = [];
for (const subject of subjects) {
  process.stderr.write(`bench: ${subject.name}: `);
  evict(subject.file);
  await (await boot(subject)).stop(); // warm-up: reloads the evicted executable by page faults

  const boots = [];
  for (let i = 0; i < BOOTS; i++) {
    const server = await boot(subject);
    boots.push({ startupMs: server.startupMs, startupCpuMs: server.startupCpuMs, idle: await idleStatus(server) });
    await server.stop();
    process.stderr.write('.');
  }

  const server = await boot(subject);
  await idleStatus(server);
  const loadRps = await hammer(server.url, REQUESTS, CONCURRENCY);
  const afterLoad = procStatus(server.pid);
  process.stderr.write(' 10k');
  const wrkRun = hasWrk ? wrk(server.url) : undefined;
  const afterWrk = hasWrk ? procStatus(server.pid) : undefined;
  await server.stop();
  process.stderr.write(hasWrk ? ' wrk\n' : '\n');

  const idle = (k) => median(boots.map((b) => b.idle[k]));
  results.push({
    name: subject.name,
    startupMs: { median: median(boots.map((b) => b.startupMs)), min: Math.min(...boots.map((b) => b.startupMs)), max: Math.max(...boots.map((b) => b.startupMs)) },
    startupCpuMs: median(boots.map((b) => b.startupCpuMs)),
    idleKiB: { VmRSS: idle('VmRSS'), RssAnon: idle('RssAnon'), RssFile: idle('RssFile') },
    load: { requests: REQUESTS, concurrency: CONCURRENCY, rps: loadRps, after: afterLoad },
    wrk: wrkRun && { seconds: WRK_SECONDS, ...wrkRun, after: afterWrk },
  });
}

process.stderr.write(`bench: blob stream ${BLOB_BYTES / 1024 ** 3} GiB through the fs blob store\n`);
const blobEntry = path.join(root, '.cache', 'bench', 'blob-stream.cjs');
mkdirSync(path.dirname(blobEntry), { recursive: true });
const { build } = await import('esbuild');
await build({
  absWorkingDir: root, entryPoints: ['scripts/bench/blob-stream-entry.ts'], outfile: blobEntry,
  bundle: true, platform: 'node', target: 'node24', format: 'cjs', logLevel: 'warning',
});
const blobRun = spawnSync(NODE, [...seaExecArgv, blobEntry], { encoding: 'utf8', env: { ...env, BENCH_BLOB_BYTES: String(BLOB_BYTES) } });
if (blobRun.status !== 0) throw new Error(`blob stream bench failed:\n${blobRun.stdout}${blobRun.stderr}`);
const blob = JSON.parse(blobRun.stdout.trim().split('\n').pop());
const loadAfter = os.loadavg()[0];

// ---------------------------------------------------------------------------------------------
// Report

const mib = (kib) => (kib / 1024).toFixed(1);
const ms = (x) => x.toFixed(0);
const mark = (ok) => (ok ? '' : ' ✗');
const row = (label, target, cell) => `| ${label} | ${target} | ${results.map(cell).join(' | ')} |`;
const lines = [
  `Node ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}; memory in MiB (/proc kB ÷ 1024).`,
  `Load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.${Math.max(loadBefore, loadAfter) > os.cpus().length ? ' **The machine was busy: wall-clock times and req/s are inflated; CPU time and memory are the comparable figures.**' : ''}`,
  '',
  `| | target | ${results.map((r) => `\`${r.name}\``).join(' | ')} |`,
  `|---|---|${results.map(() => '---|').join('')}`,
  row(`startup to first /health 200, median of ${BOOTS} (min–max)`, '< 300 ms', (r) => `${ms(r.startupMs.median)} ms (${ms(r.startupMs.min)}–${ms(r.startupMs.max)})${mark(r.startupMs.median < 300)}`),
  row('CPU time (user+sys) to first /health 200, median', '—', (r) => `${ms(r.startupCpuMs)} ms`),
  row('idle VmRSS (~1 s after start, median)', '—', (r) => mib(r.idleKiB.VmRSS)),
  row('idle RssAnon (private)', '< 50 MB', (r) => `${mib(r.idleKiB.RssAnon)}${mark(r.idleKiB.RssAnon / 1024 < 50)}`),
  row('idle RssFile (executable, shared)', '—', (r) => mib(r.idleKiB.RssFile)),
  row(`after ${REQUESTS.toLocaleString('en')} /health (c=${CONCURRENCY}): VmRSS / RssAnon`, '< 100 MB', (r) => `${mib(r.load.after.VmRSS)} / ${mib(r.load.after.RssAnon)}${mark(r.load.after.VmRSS / 1024 < 100)}`),
  row('… peak VmHWM', '—', (r) => mib(r.load.after.VmHWM)),
  row('… req/s (client in this Node process)', '—', (r) => r.load.rps.toFixed(0)),
];
if (hasWrk) {
  lines.push(
    row(`wrk ${WRK_SECONDS} s c=${CONCURRENCY}: req/s`, '—', (r) => `${r.wrk?.rps?.toFixed(0) ?? 'failed'}${r.wrk?.errors ? ` (${r.wrk.errors})` : ''}`),
    row('… then VmRSS / RssAnon / VmHWM', '—', (r) => (r.wrk?.after ? `${mib(r.wrk.after.VmRSS)} / ${mib(r.wrk.after.RssAnon)} / ${mib(r.wrk.after.VmHWM)}` : '—')),
  );
}
lines.push(
  '',
  `Blob stream, ${(blob.bytes / 1024 ** 3).toFixed(0)} GiB through BlobStore + FsStore (node ${blob.execArgv.join(' ')}):`,
  '',
  '| phase | MB/s | peak RSS (VmHWM) | RSS at each eighth |',
  '|---|---|---|---|',
  `| write (generate → sha256 → fsynced file) | ${blob.write.mbPerSecond.toFixed(0)} | ${mib(blob.write.peakKiB)} MiB | ${blob.write.rssTrailMiB.join(', ')} |`,
  `| read (open → sha256, from page cache) | ${blob.read.mbPerSecond.toFixed(0)} | ${mib(blob.read.peakKiB)} MiB | — |`,
  `| RSS before the write | | ${mib(blob.rssBeforeKiB)} MiB | |`,
);
console.log(lines.join('\n'));

mkdirSync(path.join(root, '.bench'), { recursive: true });
writeFileSync(path.join(root, '.bench', 'foundation.json'), JSON.stringify({ date: new Date().toISOString(), results, blob }, null, 2));
