// Start-up time and idle memory of `nora serve`, side by side in one interleaved run:
// "before" (the bundle of the commit this branch started from, or BEFORE_BUNDLE), "off" (this
// bundle, no [tracing]) and "on" (this bundle, [tracing] endpoint = a loopback OTLP receiver,
// after 200 traced requests have been exported). Start-up is spawn to the "listening" log line;
// VmRSS and RssAnon are read from /proc after 100 GET /v2/ and a settle. Usage:
//   node scripts/bench/tracing.mjs            (ROUNDS=7 by default; ROUNDS=3 for a quick look)
//   BEFORE_BUNDLE=/path/to/nora.cjs node scripts/bench/tracing.mjs
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const node = path.join(root, 'node_modules', '.bin', 'node');
const nodeBin = existsSync(node) ? node : process.execPath;

function beforeBundle() {
  if (process.env.BEFORE_BUNDLE) return process.env.BEFORE_BUNDLE;
  const base = execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: root, encoding: 'utf8' }).trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nora-before-'));
  execFileSync('sh', ['-c', `git -C "${root}" archive ${base} | tar -x -C "${dir}"`]);
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync(nodeBin, ['scripts/build.mjs'], { cwd: dir, stdio: 'ignore', env: { ...process.env, NORA_REVISION: base.slice(0, 12) } });
  return path.join(dir, 'dist', 'nora.cjs');
}

const receiver = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('{}')); });
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const otlp = `http://127.0.0.1:${receiver.address().port}`;

function status(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon') };
}

async function run(bundle, tracing) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nora-bench-tracing-'));
  const config = path.join(dir, 'nora.toml');
  writeFileSync(config, tracing ? `[tracing]\nendpoint = "${otlp}"\n` : '');
  const started = process.hrtime.bigint();
  const child = spawn(nodeBin, [bundle, 'serve', '--config', config, '--port', '0', '--data-dir', path.join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"listening"/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  for (let i = 0; i < 100; i++) await (await fetch(`${url}/v2/`)).arrayBuffer();
  await new Promise((r) => setTimeout(r, 1500));
  const mem = status(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
  return { startMs, ...mem };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const before = beforeBundle();
const after = path.join(root, 'dist', 'nora.cjs');
const variants = { before: [before, false], off: [after, false], on: [after, true] };
const results = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
console.log(`load before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${ROUNDS} rounds, interleaved; node ${execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim()}`);
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, [bundle, tracing]] of Object.entries(variants)) results[name].push(await run(bundle, tracing));
}
console.log(`load after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('variant  start ms (median)  VmRSS MB (median)  RssAnon MB (median)');
for (const [name, rows] of Object.entries(results)) {
  console.log(`${name.padEnd(8)} ${median(rows.map((r) => r.startMs)).toFixed(0).padStart(17)} ${median(rows.map((r) => r.rss)).toFixed(1).padStart(18)} ${median(rows.map((r) => r.anon)).toFixed(1).padStart(20)}`);
}
const ratio = (a, b, key) => (median(results[a].map((r) => r[key])) / median(results[b].map((r) => r[key]))).toFixed(3);
console.log(`off/before: start ${ratio('off', 'before', 'startMs')}x, VmRSS ${ratio('off', 'before', 'rss')}x; on/off: start ${ratio('on', 'off', 'startMs')}x, VmRSS ${ratio('on', 'off', 'rss')}x`);
receiver.close();
