// The base of every `nora` command: whatever escapes run() is printed as one line naming the
// command with spaces ("nora images ls: ..."), with the documented exit code; a mistyped flag
// gets a "did you mean"; oclif's own usage errors (missing argument, bad option) become one
// line pointing at `nora help COMMAND`, exit 2.
import { Command, Errors } from '@oclif/core';
import { closest } from '../../lib/config/suggest.js';
import { err as colour } from './colour.js';
import { CliFailure, describeFailure, EXIT } from './failure.js';

export abstract class NoraCommand extends Command {
  /** "images ls", as the user typed it. */
  protected get commandName(): string {
    return (this.id ?? '').replaceAll(':', ' ');
  }

  /** Throws: the command stops with this message and exit code. */
  protected fail(message: string, exitCode: CliFailure['exitCode'] = EXIT.failure): never {
    throw new CliFailure(message, exitCode);
  }

  override async catch(error: Error & { flags?: string[]; oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error;
    // oclif's NonExistentFlagsError (not exported): the unknown flags as typed.
    if (Array.isArray(error.flags) && error.message.startsWith('Nonexistent flag')) {
      const known = Object.entries(this.ctor.flags ?? {}).flatMap(([name, flag]) => [`--${name}`, ...(flag.char ? [`-${flag.char}`] : [])]);
      const lines = (error.flags ?? []).map((flag) => {
        const guess = closest(flag.split('=')[0]!, known);
        return `unknown flag ${flag}${guess ? `; did you mean ${guess}?` : ''}`;
      });
      return this.stop(`${lines.join('\n')}\n  (see "nora help ${this.commandName}")`, EXIT.usage);
    }
    // oclif's parse and validation errors (missing argument, bad option): its words on one line, exit 2.
    if ('parse' in error || /^(The following error occurred|Missing \d+ required arg|Expected --)/.test(error.message)) {
      const words = error.message.split('\n').map((line) => line.trim()).filter((line) => line && !/^(The following error occurred|See more help)/.test(line));
      return this.stop(`${words.join(' ').replace(/:$/, '')}\n  (see "nora help ${this.commandName}")`, EXIT.usage);
    }
    if (error.oclif?.exit !== undefined && !(error instanceof CliFailure)) throw error;
    const failure = describeFailure(error);
    // DEBUG, not a NORA_* variable: those are configuration keys.
    if (/\bnora\b/.test(process.env.DEBUG ?? '') && !(error instanceof CliFailure)) process.stderr.write(`${error.stack ?? error.message}\n`);
    return this.stop(failure.message, failure.exitCode);
  }

  private stop(message: string, exitCode: number): never {
    process.stderr.write(`${colour.red(`nora ${this.commandName}:`)} ${message}\n`);
    return this.exit(exitCode);
  }
}
