// Runs the machine's npm CLI (and pnpm from devDependencies) against a registry with a
// throwaway HOME, user config, global config and cache, so nothing from the developer's npm
// setup leaks in. The user config carries npm's required dummy token for the registry.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './nora-process.js';
import { runProcess, type RunResult } from './run-process.js';

export type CliResult = RunResult;

export interface NpmSandbox {
  dir: string;
  registry: string;
  env: NodeJS.ProcessEnv;
  npm(args: string[], cwd?: string): Promise<CliResult>;
  pnpm(args: string[], cwd: string): Promise<CliResult>;
  /** Writes a package directory (package.json + index.js) and returns its path. */
  writePackage(manifest: Record<string, unknown>, files?: Record<string, string | Buffer>): Promise<string>;
  cleanup(): Promise<void>;
}

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> => runProcess(cmd, args, { cwd, env });

export async function npmSandbox(serverUrl: string): Promise<NpmSandbox> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-npm-'));
  const home = path.join(dir, 'home');
  await mkdir(home, { recursive: true });
  const registry = `${serverUrl}/npm/`;
  const hostPath = registry.replace(/^https?:/, '');
  const userconfig = path.join(home, '.npmrc');
  await writeFile(userconfig, `registry=${registry}\n${hostPath}:_authToken=dummy\nfund=false\nupdate-notifier=false\nloglevel=warn\n`);
  await writeFile(path.join(dir, 'globalrc'), '');
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && !k.startsWith('NORA_')));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    HOME: home,
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    npm_config_userconfig: userconfig,
    npm_config_globalconfig: path.join(dir, 'globalrc'),
    npm_config_cache: path.join(dir, 'cache'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
  };
  let counter = 0;
  return {
    dir,
    registry,
    env,
    npm: (args, cwd = dir) => run('npm', args, cwd, env),
    pnpm: (args, cwd) => run(process.execPath, [path.join(ROOT, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs'), ...args], cwd, env),
    async writePackage(manifest, files = {}) {
      const pkgDir = path.join(dir, `pkg-${++counter}`);
      await mkdir(pkgDir, { recursive: true });
      await writeFile(path.join(pkgDir, 'package.json'), JSON.stringify(manifest, null, 2));
      await writeFile(path.join(pkgDir, 'index.js'), `module.exports = ${JSON.stringify(String(manifest.name))};\n`);
      for (const [file, content] of Object.entries(files)) await writeFile(path.join(pkgDir, file), content);
      return pkgDir;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
