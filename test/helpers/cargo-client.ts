// Runs stock cargo for the real-client tests: a fresh CARGO_HOME per scenario, no inherited
// cargo settings (CARGO_NET_OFFLINE, registries, tokens) from the developer's shell.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanEnv } from './nora-process.js';
import { runProcess, type RunResult } from './run-process.js';

/** CARGO_BIN, else rustup's ~/.cargo/bin/cargo (CI may not have it on PATH), else `cargo`. */
const CARGO = process.env.CARGO_BIN ?? [path.join(os.homedir(), '.cargo', 'bin', 'cargo')].find((p) => existsSync(p)) ?? 'cargo';

export function cargoAvailable(): boolean {
  try {
    execFileSync(CARGO, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export type CargoResult = RunResult;

export function runCargo(args: string[], options: { cwd: string; home: string; env?: NodeJS.ProcessEnv }): Promise<CargoResult> {
  const inherited = Object.fromEntries(Object.entries(cleanEnv()).filter(([k]) => !k.startsWith('CARGO_') && k !== 'RUSTC_WRAPPER'));
  // cargo runs rustc from PATH: put the toolchain's directory first when cargo was found by path.
  const toolchainPath = path.isAbsolute(CARGO) ? `${path.dirname(CARGO)}${path.delimiter}${process.env.PATH ?? ''}` : process.env.PATH;
  const env = { ...inherited, PATH: toolchainPath, CARGO_HOME: options.home, CARGO_TERM_COLOR: 'never', CARGO_HTTP_TIMEOUT: '30', ...options.env };
  return runProcess(CARGO, args, { cwd: options.cwd, env });
}
