// Runs the benchmark sections one after another, each side by side with its peer in one run,
// and prints their tables (markdown) with the load average at each section's start.
//   node scripts/bench/run-all.mjs [section ...]      (npm run bench; default: every section)
// Each section is a script of scripts/bench/ run as is, so `npm run bench:<section>` prints
// the same table alone. Environment knobs pass through (BENCH_BLOB_MIB, BENCH_STARTUP_RUNS, ...).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const SECTIONS = {
  // Start to the first /v2/ 200, idle memory, and peak VmRSS of the binary under oci.mjs's load.
  startup: ['startup.mjs', '--load'],
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!SECTIONS[name]) {
    process.stderr.write(`run-all: unknown section ${name} (${Object.keys(SECTIONS).join(', ')})\n`);
    process.exit(2);
  }
}
let failed = false;
for (const name of wanted.length ? wanted : Object.keys(SECTIONS)) {
  const [script, ...args] = SECTIONS[name];
  process.stdout.write(`\n## ${name} (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})\n\n`);
  const result = spawnSync(process.execPath, [path.join(HERE, script), ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`run-all: ${name} exited with ${result.status ?? result.signal}\n`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
