// The listing cost of pull documents (issue 14): listVersions over 1,000 Maven names with and
// without one pull document per name, on the fs and memory stores. Bundles
// scripts/bench/pull-listing-entry.ts with esbuild and runs it with the binary's V8 flags.
// Usage: node scripts/bench/pull-listing.mjs   (BENCH_NAMES, BENCH_ROUNDS; best of the rounds, alternating)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'nora-bench-pulls-')), 'pull-listing.cjs');
await build({ absWorkingDir: root, entryPoints: ['scripts/bench/pull-listing-entry.ts'], outfile, bundle: true, platform: 'node', target: 'node24', format: 'cjs', logLevel: 'warning' });
const execArgv = JSON.parse(readFileSync(path.join(root, 'sea-config.json'), 'utf8')).execArgv ?? [];
const run = spawnSync(process.execPath, [...execArgv, outfile], { encoding: 'utf8', env: process.env });
if (run.status !== 0) throw new Error(`pull-listing bench failed:\n${run.stdout}${run.stderr}`);
const r = JSON.parse(run.stdout.trim().split('\n').pop());
console.log(`listVersions over ${r.names} Maven names, best of ${r.rounds} (Node ${process.version}, load ${os.loadavg()[0].toFixed(1)})\n`);
console.log('| store | no pull documents | one pull document per name | ratio | added per name |');
console.log('|---|---:|---:|---:|---:|');
for (const x of r.results) {
  console.log(`| ${x.backend} | ${x.withoutMs.toFixed(1)} ms | ${x.withMs.toFixed(1)} ms | ${(x.withMs / x.withoutMs).toFixed(2)}x | ${((x.withMs - x.withoutMs) * 1000 / r.names).toFixed(1)} µs |`);
}
