// `npm run bench`: every performance figure of issue 23 in one table, section by section, each
// with NORA, its peer, the ratio, the target and whether it is met. Each section is its own bench
// script, run one after the other (never at once: they would measure each other); a script hands
// its rows over through BENCH_JSON (figures.mjs) and prints its own table as it goes.
// BENCH_QUICK=1 runs every section small (under 3 minutes in all on a quiet machine);
// BENCH_ONLY=oci,npm runs only the named sections. Figures are noisy on a busy machine: the load
// average is printed with each section, re-run on a quiet one before trusting a ratio.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAverage, tableLines } from './figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.env.BENCH_QUICK === '1';

/** One entry per section: the script and its arguments (quick and full). Add a section here. */
const SECTIONS = [
  { name: 'oci', script: 'oci.mjs', args: [] },
  { name: 'npm', script: 'npm.mjs', args: quick ? ['--duration', '2', '--rounds', '1', '--installs', '1'] : [] },
  // Start to the first /v2/ 200, idle memory, and peak VmRSS of the binary under oci.mjs's load.
  { name: 'startup', script: 'startup.mjs', args: ['--load'] },
  // Blob pulls from S3 (Ceph RGW) through NORA and through its presigned redirect.
  { name: 's3', script: 's3-pull.mjs', args: [] },
];

const only = process.env.BENCH_ONLY?.split(',');
const dir = mkdtempSync(path.join(os.tmpdir(), 'nora-bench-all-'));
const results = path.join(dir, 'rows.jsonl');
const started = Date.now();
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
// The startup section measures the binary: build it from this tree, or its rows would describe
// whatever binary an earlier build left in dist/ (NORA_BIN names one to measure instead).
if (!process.env.NORA_BIN && (!only || only.includes('startup'))) {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-binaries.mjs'), '--arch', process.arch], { stdio: 'inherit' });
}
let failed = 0;
try {
  for (const section of SECTIONS.filter((s) => !only || only.includes(s.name))) {
    process.stderr.write(`\n== ${section.name} (load ${loadAverage()}) ==\n`);
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'bench', section.script), ...section.args], {
      stdio: 'inherit', env: { ...process.env, BENCH_JSON: results, BENCH_QUICK: quick ? '1' : '' },
    });
    if (run.status !== 0) {
      failed++;
      process.stderr.write(`section ${section.name} failed (exit ${run.status})\n`);
    }
  }
  let sections = [];
  try {
    sections = readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  } catch { /* no section finished */ }
  const lines = [`# NORA benchmarks — ${os.cpus().length} cores, Node ${process.version}${quick ? ', quick mode' : ''}, ${((Date.now() - started) / 1000).toFixed(0)} s`, ''];
  for (const { section, load, rows } of sections) lines.push(`## ${section} (load ${load})`, '', ...tableLines(rows), '');
  const all = sections.flatMap((s) => s.rows).filter((r) => r.target);
  lines.push(`Targets met: ${all.filter((r) => r.met === 'yes').length} of ${all.length}.`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
