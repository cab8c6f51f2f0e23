// Starts the real `nora` (the bundle, or the binary named by NORA_BIN) as a child process on
// 127.0.0.1 port 0 with a temporary data directory, and stops it after the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runProcess, type RunResult } from './run-process.js';

export const ROOT = path.join(__dirname, '..', '..');

/** The command that runs `nora`: [executable, ...leading args]. */
export function noraCommand(): [string, ...string[]] {
  const bin = process.env.NORA_BIN;
  return bin ? [path.resolve(ROOT, bin)] : [process.execPath, path.join(ROOT, 'dist', 'nora.cjs')];
}

export type { RunResult };

/** Runs `nora ...args` to completion (standard input is `input`, or empty). */
export function runNora(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  const [cmd, ...lead] = noraCommand();
  return runProcess(cmd, [...lead, ...args], { cwd: options.cwd ?? ROOT, env: { ...cleanEnv(), ...options.env }, input: options.input ?? '' });
}

/** The environment without NORA_* variables of the developer's shell. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NORA_') || k === 'NORA_BIN'));
}

export interface NoraServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server logged so far (JSON lines). */
  logs(): string;
  /** SIGTERM, wait for exit; resolves to the exit code. Removes the data dir unless keepData. */
  stop(options?: { keepData?: boolean }): Promise<number | null>;
}

export interface StartOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Use this data directory instead of a fresh temporary one (it is not removed on stop). */
  dataDir?: string;
  cwd?: string;
  /** How long the server may take to listen (default 15 s); past it the child is killed. */
  startTimeoutMs?: number;
  /** Run this binary instead of noraCommand()'s. */
  executable?: string;
}

export async function startNora(options: StartOptions = {}): Promise<NoraServer> {
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'nora-test-')));
  const [cmd, ...lead] = options.executable ? [options.executable] : noraCommand();
  const child = spawn(cmd, [...lead, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    cwd: options.cwd ?? dataDir,
    env: { ...cleanEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const url = await new Promise<string>((resolve, reject) => {
    // Past the timeout the child is killed, and the start fails once it has exited: a server
    // that was only slow must not go on writing to a store the test then drops.
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, startTimeoutMs);
    const poll = setInterval(() => {
      const match = /"url":"(https?:\/\/[^"]+)"[^\n]*"msg":"listening"/.exec(output);
      if (match) { clearInterval(poll); clearTimeout(timer); resolve(match[1]!); }
    }, 10);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(timedOut ? `nora did not start within ${startTimeoutMs / 1000}s:\n${output}` : `nora exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    dataDir,
    process: child,
    logs: () => output,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      if (ownDir && !keepData) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
