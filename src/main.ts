// The `nora` process entry: builds oclif's configuration in memory so the CLI runs from one
// bundled file (and inside a Node single-executable), with no package.json or command files on disk.
import { Config, Plugin, flush, handle, run } from '@oclif/core';
import pjson from '../package.json';
import { COMMANDS } from './commands/index.js';
import { routeArgv } from './commands/argv.js';
import { err as colour } from './commands/output/colour.js';
import { versionLine } from './lib/version.js';
import { buildingSnapshot, runMain } from './startup-snapshot.js';

async function main(args: string[]): Promise<void> {
  // `nora images ls | head`: a closed pipe ends the output, not the process with a stack.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => { if (error.code === 'EPIPE') process.exit(0); else throw error; });
  // Our own --version: oclif's prints no git revision.
  if (args.length === 1 && ['--version', '-v', 'version'].includes(args[0]!)) {
    process.stdout.write(`${versionLine()}\n`);
    return;
  }
  const routed = routeArgv(args, Object.keys(COMMANDS));
  if ('error' in routed) {
    process.stderr.write(`${colour.red('nora:')} ${routed.error}\n`);
    process.exitCode = 2;
    return;
  }
  const { argv } = routed;
  const root = process.cwd();
  const manifest = { ...pjson, oclif: { ...pjson.oclif, commands: { strategy: 'explicit', target: 'inline', identifier: 'COMMANDS' } } };
  const plugin = new Plugin({ root, pjson: manifest as never, isRoot: true, ignoreManifest: true });
  // `commandCache` is what oclif fills from the explicit target file; setting it first means the
  // bundle never needs a file on disk. Pinned @oclif/core; test/unit/cli.test.ts guards it.
  // `serve` must start fast (issue 23): given serve alone, oclif builds the manifest of one command
  // instead of every command's flags and arguments (~3 % of the CPU to the first answer in a profile).
  const commands: Partial<typeof COMMANDS> = argv[0] === 'serve' ? { serve: COMMANDS.serve } : COMMANDS;
  (plugin as unknown as { commandCache: Partial<typeof COMMANDS> }).commandCache = commands;
  await plugin.load();
  const config = await Config.load({ root, pjson: manifest as never, plugins: new Map([[plugin.name, plugin]]) });
  try {
    await run(argv, config);
    await flush();
  } catch (error) {
    await handle(error as Error);
  }
}

// Every command but --version loads the configuration: in a binary built from a startup snapshot
// (off by default, see scripts/build-binaries.mjs) it is evaluated already. The server (fastify, prom-client) cannot be: Node 24 cannot serialize node:http's
// native handles ("global handle not serialized"), so it loads when `serve` runs.
if (buildingSnapshot) void import('./lib/config/index.js');
runMain(() => void main(process.argv.slice(2)));
