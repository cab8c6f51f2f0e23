// The `nora` process entry. A plain `nora serve` starts the server without evaluating oclif's
// command machinery or the other commands (serve-fast.ts, issue 23: start time and idle memory);
// every other command line goes through oclif (run-oclif.ts). Both are loaded on demand: the
// bundle turns these import()s into lazily evaluated requires.
import { versionLine } from './lib/version.js';

async function main(args: string[]): Promise<void> {
  // `nora images ls | head`: a closed pipe ends the output, not the process with a stack.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => { if (error.code === 'EPIPE') process.exit(0); else throw error; });
  // Our own --version: oclif's prints no git revision.
  if (args.length === 1 && ['--version', '-v', 'version'].includes(args[0]!)) {
    process.stdout.write(`${versionLine()}\n`);
    return;
  }
  const { isPlainServe, serveFast } = await import('./commands/serve-fast.js');
  if (isPlainServe(args)) return serveFast(args.slice(1));
  const { runOclif } = await import('./commands/run-oclif.js');
  return runOclif(args);
}

void main(process.argv.slice(2));
