// Server time of the web UI at BENCH_REPOS (default 10,000) OCI repositories on an fs store,
// with access control off and on, next to the protocol listings of the same data (issue 20:
// "10,000 repositories render in well under a second of server time"). Bundles
// scripts/bench/ui-entry.ts with esbuild and runs it on the pinned Node with the binary's V8
// flags. Usage: npm run bench:ui   (BENCH_REPOS, BENCH_ROUNDS, BENCH_ONLY=REGEX of page labels, BENCH_DATA_DIR to keep or reuse the
// filled store, BENCH_STORE=memory to leave the fs listing out,
// BENCH_RENDER_ONLY=1 for the UI's own cost over a listing served from memory)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'nora-bench-ui-')), 'ui.cjs');
await build({ absWorkingDir: root, entryPoints: ['scripts/bench/ui-entry.ts'], outfile, bundle: true, platform: 'node', target: 'node24', format: 'cjs', logLevel: 'warning' });
const seaArgv = JSON.parse(readFileSync(path.join(root, 'sea-config.json'), 'utf8')).execArgv ?? [];
// A memory store holds 10,000 repositories on the heap: the binary's heap ceiling is for a server, not for its store.
const execArgv = process.env.BENCH_STORE === 'memory' ? seaArgv.filter((flag) => !flag.startsWith('--max-old-space-size')) : seaArgv;
const run = spawnSync(process.execPath, [...execArgv, outfile], { encoding: 'utf8', env: process.env, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
if (run.status !== 0) throw new Error(`ui bench failed:\n${run.stdout}${run.stderr}`);
const r = JSON.parse(run.stdout.trim().split('\n').pop());
if (r.renderOnly) {
  console.log(`Web UI's own server time at ${r.repos.toLocaleString('en-US')} names (no store listing), median of ${r.rounds} (Node ${process.version}, load ${os.loadavg()[0].toFixed(1)})\n`);
  console.log('| page | auth off | auth on (pull:*) |');
  console.log('|---|---:|---:|');
  for (const [label, v] of Object.entries(r.renderOnly)) console.log(`| ${label} | ${v.off.toFixed(1)} ms | ${v.on.toFixed(1)} ms |`);
  process.exit(0);
}
console.log(`Web UI server time at ${r.repos.toLocaleString('en-US')} repositories (${process.env.BENCH_STORE === 'memory' ? 'memory' : 'fs'} store), median of ${r.rounds} (Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}; store filled in ${r.fillSeconds.toFixed(0)} s)\n`);
console.log('| page | auth off | auth on (pull:*) | body |');
console.log('|---|---:|---:|---:|');
for (const [label, v] of Object.entries(r.results)) console.log(`| ${label} | ${v.off.toFixed(1)} ms | ${v.on.toFixed(1)} ms | ${(v.bytes / 1024).toFixed(1)} KiB |`);
