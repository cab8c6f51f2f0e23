// Builds dist/nora.cjs once per test run, so integration tests run the same bundle that goes
// into the single executable. NORA_BIN=<path to a binary> makes them run that binary instead.
// Also hands the workers one directory for a Ceph RGW started on first use (test/helpers/rgw.ts)
// and stops that RGW, by its PIDs, when the run ends: one ~15 s start per run, not per file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopRgw } from './helpers/rgw-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    rgwRunDir: string;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  const rgwRunDir = mkdtempSync(path.join(os.tmpdir(), 'nora-rgw-run-'));
  project.provide('rgwRunDir', rgwRunDir);
  if (!process.env.NORA_BIN) {
    execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
  }
  return async () => {
    await stopRgw(rgwRunDir);
    rmSync(rgwRunDir, { recursive: true, force: true });
  };
}
