// What the access-control commands share: the htpasswd file from [auth] (or --file), reading a
// password from standard input or a silent prompt, and the services over the configured store.
import { Flags, type Command } from '@oclif/core';
import { createInterface } from 'node:readline';
import { loadConfigOrExit } from './load-config.js';
import { CliFailure, EXIT } from './output/failure.js';

export const htpasswdFlag = {
  file: Flags.string({ description: 'htpasswd file (default: [auth] htpasswd_file).', helpValue: 'FILE' }),
};

export async function htpasswdFile(command: Command, flags: Record<string, unknown>): Promise<string> {
  if (typeof flags.file === 'string' && flags.file) return flags.file;
  const { config } = await loadConfigOrExit(command, flags);
  if (!config.auth.htpasswd_file) throw new CliFailure('no htpasswd file: set [auth] htpasswd_file or pass --file FILE', EXIT.usage);
  return config.auth.htpasswd_file;
}

/** Reads the first line of standard input (`--password-stdin`), or prompts without echo. */
export async function readPassword(fromStdin: boolean, prompt: string): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write(prompt);
  const silent = rl as unknown as { _writeToOutput: (s: string) => void };
  silent._writeToOutput = () => undefined;
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}
