// `nora serve` without oclif's command machinery (issue 23): oclif's index, Config and Plugin
// loading and the other commands' modules cost ~35 ms of CPU and ~6 MiB of memory before the
// first answer. Same flags (serve-run.ts), same parser (oclif's own), same body, same error output
// and exit codes as when oclif runs the Serve command; whatever oclif would treat differently
// (help, a word after `serve`) goes through oclif instead (isPlainServe).
import { ExitError } from '@oclif/core/errors';
import { flush } from '@oclif/core/flush';
import { parse } from '@oclif/core/parser';
import { runServe, serveFlags } from './serve-run.js';

/**
 * True for `serve` followed by flags only: oclif would run the Serve command with them. Not for
 * --help before a `--` (oclif shows help), nor a word right after `serve` (oclif reads
 * `serve extra` as the command id "serve:extra").
 */
export function isPlainServe(argv: readonly string[]): boolean {
  if (argv[0] !== 'serve' || (argv.length > 1 && !argv[1]!.startsWith('-'))) return false;
  for (const arg of argv) {
    if (arg === '--help') return false;
    if (arg === '--') return true;
  }
  return true;
}

/** Runs serve with `args` (what follows "serve"), ending the process as oclif's run and handle would. */
export async function serveFast(args: string[]): Promise<void> {
  const exits = { exit(code = 0): never { throw new ExitError(code); } };
  try {
    const { flags } = await parse(args, { flags: serveFlags, args: {}, strict: true });
    await runServe(flags, exits);
    await flush();
  } catch (error) {
    // What Command._run (catch), then run-oclif.ts's handle() do with what escapes the command.
    // The error output (chalk) loads only here: a server that starts never needs it.
    const { reportCommandError } = await import('./output/command-error.js');
    const exitCode = error instanceof ExitError ? error.oclif.exit : reportCommandError(error as Error, serveFlags, 'serve');
    if (exitCode === undefined) {
      const { handle } = await import('@oclif/core/handle');
      return handle(error as Error);
    }
    process.exit(exitCode);
  }
}
