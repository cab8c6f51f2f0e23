// What a command prints for an error that escapes its run(), shared by NoraCommand.catch and the
// fast path of `nora serve` (src/commands/serve-fast.ts), which runs without an oclif Command.
// Whatever escapes is one line naming the command with spaces ("nora images ls: ..."), with the
// documented exit code; a mistyped flag gets a "did you mean"; oclif's own usage errors (missing
// argument, bad option) become one line pointing at `nora help COMMAND`, exit 2.
import { closest } from '../../lib/config/suggest.js';
import { err as colour } from './colour.js';
import { CliFailure, describeFailure, EXIT } from './failure.js';

type EscapedError = Error & { flags?: string[]; oclif?: { exit?: number } };

/**
 * Prints what went wrong and returns the exit code; undefined when the error is oclif's own to
 * report (an exit, or a parse error oclif prints itself), for the caller to rethrow.
 * `flags` are the command's flag definitions (for "did you mean"); `name` is "images ls".
 */
export function reportCommandError(error: EscapedError, flags: Record<string, { char?: string }>, name: string): number | undefined {
  const stop = (message: string, exitCode: number): number => {
    process.stderr.write(`${colour.red(`nora ${name}:`)} ${message}\n`);
    return exitCode;
  };
  // oclif's NonExistentFlagsError (not exported): the unknown flags as typed.
  if (Array.isArray(error.flags) && error.message.startsWith('Nonexistent flag')) {
    const known = Object.entries(flags).flatMap(([flag, { char }]) => [`--${flag}`, ...(char ? [`-${char}`] : [])]);
    const lines = error.flags.map((flag) => {
      const guess = closest(flag.split('=')[0]!, known);
      return `unknown flag ${flag}${guess ? `; did you mean ${guess}?` : ''}`;
    });
    return stop(`${lines.join('\n')}\n  (see "nora help ${name}")`, EXIT.usage);
  }
  // oclif's parse and validation errors (missing argument, bad option): its words on one line, exit 2.
  if ('parse' in error || /^(The following error occurred|Missing \d+ required arg|Expected --)/.test(error.message)) {
    const words = error.message.split('\n').map((line) => line.trim()).filter((line) => line && !/^(The following error occurred|See more help)/.test(line));
    return stop(`${words.join(' ').replace(/:$/, '')}\n  (see "nora help ${name}")`, EXIT.usage);
  }
  if (error.oclif?.exit !== undefined && !(error instanceof CliFailure)) return undefined;
  const failure = describeFailure(error);
  // DEBUG, not a NORA_* variable: those are configuration keys.
  if (/\bnora\b/.test(process.env.DEBUG ?? '') && !(error instanceof CliFailure)) process.stderr.write(`${error.stack ?? error.message}\n`);
  return stop(failure.message, failure.exitCode);
}
