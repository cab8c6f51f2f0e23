// Every `nora` command line but a plain `nora serve` (see serve-fast.ts): oclif's configuration
// built in memory, so the CLI runs from one bundled file (and inside a Node single-executable),
// with no package.json or command files on disk.
import { Config, Plugin, flush, handle, run } from '@oclif/core';
import pjson from '../../package.json';
import { COMMANDS } from './index.js';
import { routeArgv } from './argv.js';
import { err as colour } from './output/colour.js';

export async function runOclif(args: string[]): Promise<void> {
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
  // `serve --help` and its like must start fast too: given serve alone, oclif builds the manifest of
  // one command instead of every command's flags and arguments.
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
