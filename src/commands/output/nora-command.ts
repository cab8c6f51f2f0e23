// The base of every `nora` command: whatever escapes run() is reported by reportCommandError
// (one line naming the command, the documented exit code).
import { Command, Errors } from '@oclif/core';
import { reportCommandError } from './command-error.js';
import { CliFailure, EXIT } from './failure.js';

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
    const exitCode = reportCommandError(error, this.ctor.flags ?? {}, this.commandName);
    if (exitCode === undefined) throw error;
    return this.exit(exitCode);
  }
}
