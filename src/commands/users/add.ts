import { Args, Flags } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { NoraCommand } from '../output/nora-command.js';
import { htpasswdFile, htpasswdFlag, readPassword } from '../auth-common.js';

export default class UsersAdd extends NoraCommand {
  static override summary = 'Add a user to the htpasswd file, or set a new password (bcrypt).';
  static override description = 'Running servers pick the change up within a second; no apache tools are needed.';
  static override examples = [
    { description: 'Prompt for the password', command: '<%= config.bin %> users add alice' },
    { description: 'From a pipe', command: 'printf %s "$PW" | <%= config.bin %> users add ci-bot --password-stdin' },
  ];

  static override args = { name: Args.string({ required: true, description: 'User name.' }) };
  static override flags = { ...configFlags, ...htpasswdFlag, 'password-stdin': Flags.boolean({ description: 'Read the password from standard input.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(UsersAdd);
    const file = await htpasswdFile(this, flags);
    const password = await readPassword(flags['password-stdin'], `password for ${args.name}: `);
    if (password.length < 8) this.fail('the password must have at least 8 characters', 2);
    const { setUser } = await import('../../lib/auth/htpasswd.js');
    await setUser(file, args.name, password);
    this.log(`user ${args.name} saved in ${file}`);
  }
}
