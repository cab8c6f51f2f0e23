// Runs the stock skopeo against a test server with no host configuration leaking in: a temp
// HOME, an empty auth file, an accept-anything policy and an empty registries.conf.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface Skopeo {
  /** Runs `skopeo <args>`; rejects with stderr on a non-zero exit. */
  run(...args: string[]): Promise<string>;
  /** Runs it and returns the exit code and output instead of rejecting. */
  attempt(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  cleanup(): Promise<void>;
}

export async function makeSkopeo(): Promise<Skopeo> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'nora-skopeo-'));
  const policy = path.join(home, 'policy.json');
  const registries = path.join(home, 'registries.conf');
  await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  await writeFile(registries, '');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_RUNTIME_DIR: home,
    REGISTRY_AUTH_FILE: path.join(home, 'auth.json'),
    CONTAINERS_REGISTRIES_CONF: registries,
  };
  const attempt = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('skopeo', ['--policy', policy, ...args], { env, maxBuffer: 64 << 20, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
  return {
    attempt,
    async run(...args) {
      const result = await attempt(...args);
      if (result.code !== 0) throw new Error(`skopeo ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
      return result.stdout;
    },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}
