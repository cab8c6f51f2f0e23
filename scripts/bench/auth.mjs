// Authorization decision latency at 1,000 rules (issue 8's target: < 1 ms for a cached identity).
// Bundles scripts/bench/auth-entry.ts with esbuild and runs it on the pinned Node with the
// binary's V8 flags. Usage: node scripts/bench/auth.mjs   (BENCH_RULES, BENCH_DECISIONS)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'nora-bench-auth-')), 'auth.cjs');
await build({ absWorkingDir: root, entryPoints: ['scripts/bench/auth-entry.ts'], outfile, bundle: true, platform: 'node', target: 'node24', format: 'cjs', logLevel: 'warning' });
const execArgv = JSON.parse(readFileSync(path.join(root, 'sea-config.json'), 'utf8')).execArgv ?? [];
const run = spawnSync(process.execPath, [...execArgv, outfile], { encoding: 'utf8' });
if (run.status !== 0) throw new Error(`auth bench failed:\n${run.stdout}${run.stderr}`);
const r = JSON.parse(run.stdout.trim().split('\n').pop());
console.log(`Authorization at ${r.rules} rules, ${r.decisions} decisions each (Node ${process.version}, load ${os.loadavg()[0].toFixed(1)})\n`);
console.log('| decision | mean |');
console.log('|---|---:|');
console.log(`| first (uncached identity) | ${(r.firstUs / 1000).toFixed(3)} ms |`);
console.log(`| cached identity, allowed | ${(r.allowUs / 1000).toFixed(4)} ms |`);
console.log(`| cached identity, denied | ${(r.denyUs / 1000).toFixed(4)} ms |`);
console.log(`\n(${r.allowed} allowed, ${r.denied} denied; target < 1 ms)`);
