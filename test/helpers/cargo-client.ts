// Runs stock cargo for the real-client tests: a fresh CARGO_HOME per scenario, no inherited
// cargo settings (CARGO_NET_OFFLINE, registries, tokens) from the developer's shell.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cleanEnv } from './nora-process.js';

export function cargoAvailable(): boolean {
  try {
    execFileSync('cargo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface CargoResult { code: number | null; stdout: string; stderr: string }

export function runCargo(args: string[], options: { cwd: string; home: string; env?: NodeJS.ProcessEnv }): Promise<CargoResult> {
  const inherited = Object.fromEntries(Object.entries(cleanEnv()).filter(([k]) => !k.startsWith('CARGO_') && !k.startsWith('RUSTC_WRAPPER')));
  const env = { ...inherited, CARGO_HOME: options.home, CARGO_TERM_COLOR: 'never', CARGO_HTTP_TIMEOUT: '30', ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn('cargo', args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
