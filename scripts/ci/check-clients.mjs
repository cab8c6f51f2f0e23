#!/usr/bin/env node
// `npm test` runs this first (the `pretest` script). The integration tests drive real clients
// (skopeo, mvn, ivy, twine, pip, cargo); a missing one must not pass silently as skipped tests:
//   - as root, the missing Debian packages are installed (scripts/ci/install-deps.sh);
//   - otherwise it stops at once, naming the one command to run;
//   - NORA_ALLOW_SKIP=1 lets the run go on without them, and says which tests will skip.
// cargo and the Maven plugins in ~/.m2 come from outside Debian (Debian 12's cargo 0.66 predates
// sparse registries); install-deps.sh installs them where the network allows.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const { clients } = JSON.parse(readFileSync(path.join(root, 'scripts', 'ci', 'clients.json'), 'utf8'));
const INSTALL = 'sudo bash scripts/ci/install-deps.sh';

const works = ([cmd, ...args]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const cargo = () => [process.env.CARGO_BIN, path.join(os.homedir(), '.cargo', 'bin', 'cargo'), 'cargo'].filter(Boolean).some((c) => (c === 'cargo' || existsSync(c)) && works([c, '--version']));
const m2Seeded = () => existsSync(path.join(os.homedir(), '.m2', 'repository', 'org', 'apache', 'maven', 'plugins', 'maven-deploy-plugin'));

function missing() {
  const gone = clients.filter((c) => !works(c.check)).map((c) => ({ tool: c.tool, tests: c.tests, debian: c.debian }));
  if (!cargo()) gone.push({ tool: 'cargo', tests: 'Cargo real-client tests (cargo >= 1.68: Debian 12 ships 0.66)' });
  if (works(['mvn', '--version']) && !m2Seeded()) gone.push({ tool: '~/.m2 Maven plugins', tests: 'Maven real-client tests (Maven runs offline against ~/.m2)' });
  return gone;
}

let gone = missing();
if (gone.length > 0 && process.getuid?.() === 0 && process.env.NORA_ALLOW_SKIP !== '1') {
  console.error(`check-clients: installing what the tests need: ${gone.map((g) => g.tool).join(', ')}`);
  const run = spawnSync('bash', [path.join(root, 'scripts', 'ci', 'install-deps.sh')], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  gone = missing();
}
if (gone.length === 0) {
  console.error('check-clients: every real client the tests drive is installed');
  process.exit(0);
}
const list = gone.map((g) => `  - ${g.tool}: ${g.tests}`).join('\n');
if (process.env.NORA_ALLOW_SKIP === '1') {
  console.error(`check-clients: NORA_ALLOW_SKIP=1: these are missing, so their tests are SKIPPED (each says why in its name):\n${list}`);
  process.exit(0);
}
console.error(`check-clients: the real-client tests need tools that are not installed:\n${list}\n\nRun this once, then npm test again:\n  ${INSTALL}\n(or NORA_ALLOW_SKIP=1 npm test to skip those tests)`);
process.exit(1);
