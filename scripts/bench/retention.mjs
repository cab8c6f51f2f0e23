// Retention planning at scale (issue 17's target: under 5 s and 150 MB resident): the pure planner
// over 10,000 tags in 1,000 repositories plus 5,000 package versions, and a full dry run (listing
// through the format services from an fs store, then planning) over a store of that shape seeded
// through the protocols. No registry we can run here has retention rules, so the two NORA figures
// stand side by side: what planning costs, and what reading the store adds.
// Bundles scripts/bench/retention-entry.ts with esbuild and runs each mode in its own process on
// the pinned Node with the binary's V8 flags. Usage: node scripts/bench/retention.mjs
// (BENCH_REPOS, BENCH_TAGS, BENCH_PACKAGES, BENCH_VERSIONS; BENCH_SKIP_STORE=1 plans only;
// BENCH_DATA=DIR keeps the seeded store in DIR and reuses it when it is already there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const work = mkdtempSync(path.join(os.tmpdir(), 'nora-bench-retention-'));
const outfile = path.join(work, 'retention.cjs');
await build({ absWorkingDir: root, entryPoints: ['scripts/bench/retention-entry.ts'], outfile, bundle: true, platform: 'node', target: 'node24', format: 'cjs', logLevel: 'error' });
const execArgv = JSON.parse(readFileSync(path.join(root, 'sea-config.json'), 'utf8')).execArgv ?? [];
const run = (...args) => {
  const result = spawnSync(process.execPath, [...execArgv, outfile, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (result.status !== 0) throw new Error(`retention bench ${args[0]} failed:\n${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
};
try {
  const plan = run('plan');
  console.log(`Retention planning (Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})\n`);
  console.log('| run | names | tags + versions | decisions | time | CPU time | peak RSS |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(`| pure planner (listings in memory) | ${Number(process.env.BENCH_REPOS ?? 1000) + Number(process.env.BENCH_PACKAGES ?? 100)} | ${plan.considered} | ${plan.decisions} | ${plan.planMs.toFixed(0)} ms | ${plan.cpuMs} ms (whole process) | ${plan.rssMiB} MiB |`);
  if (!process.env.BENCH_SKIP_STORE) {
    const dir = process.env.BENCH_DATA ? path.resolve(process.env.BENCH_DATA) : path.join(work, 'data');
    const seeded = process.env.BENCH_DATA && existsSync(dir) ? { ms: 0 } : run('seed', dir);
    const store = run('store', dir);
    if (store.error) throw new Error(store.error);
    console.log(`| full dry run from an fs store | ${store.names} | ${store.considered} | ${store.decisions} | ${store.ms.toFixed(0)} ms | ${store.cpuMs} ms | ${store.rssMiB} MiB |`);
    console.log(`\n(store ${seeded.ms ? `seeded through the protocols in ${(seeded.ms / 1000).toFixed(0)} s` : `reused from ${dir}`}; OCI tags ${Number(process.env.BENCH_REPOS ?? 1000) * Number(process.env.BENCH_TAGS ?? 10)}, npm versions ${Number(process.env.BENCH_PACKAGES ?? 100) * Number(process.env.BENCH_VERSIONS ?? 50)}; target < 5 s, < 150 MB)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
