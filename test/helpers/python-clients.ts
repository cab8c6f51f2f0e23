// Runs pip and twine as a user would, but hermetic: a fresh venv, no pip configuration file or
// PIP_* variables from this machine (its global config points at local wheel directories), no
// cache, and no network beyond the NORA under test.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface RunOutput { code: number; stdout: string; stderr: string }

// REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE win over a session's own CA in requests (twine, pip's
// vendored copy): set here, they would make `--cert` a no-op (see client-quirks.md).
const CA_OVERRIDES = new Set(['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE']);

function cleanPythonEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_') && !k.startsWith('TWINE_') && !k.startsWith('NORA_') && !CA_OVERRIDES.has(k)));
  return { ...env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_CACHE_DIR: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', NO_COLOR: '1', TERM: 'dumb' };
}

export function run(cmd: string, args: string[], options: { cwd?: string; timeout?: number } = {}): Promise<RunOutput> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: options.cwd, env: cleanPythonEnv(), timeout: options.timeout ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh virtual environment; returns the path of its python. */
export async function createVenv(dir: string): Promise<string> {
  const result = await run('python3', ['-m', 'venv', dir]);
  if (result.code !== 0) throw new Error(`python3 -m venv failed: ${result.stderr}`);
  return path.join(dir, 'bin', 'python');
}

export function pip(python: string, args: string[], cwd?: string): Promise<RunOutput> {
  return run(python, ['-m', 'pip', ...args, '--no-cache-dir'], cwd ? { cwd } : {});
}

export function twine(repositoryUrl: string, files: string[], extra: string[] = []): Promise<RunOutput> {
  return run('twine', ['upload', '--disable-progress-bar', '--non-interactive', '--repository-url', repositoryUrl, '-u', 'ci', '-p', 'secret', ...extra, ...files]);
}

/** Writes files into `dir` and returns their paths. */
export async function writeDists(dir: string, dists: Array<{ filename: string; bytes: Buffer }>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  return Promise.all(dists.map(async (d) => { const p = path.join(dir, d.filename); await writeFile(p, d.bytes); return p; }));
}
