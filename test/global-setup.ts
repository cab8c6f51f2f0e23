// Builds dist/nora.cjs once per test run, so integration tests run the same bundle that goes
// into the single executable. NORA_BIN=<path to a binary> makes them run that binary instead.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  if (process.env.NORA_BIN) return;
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
