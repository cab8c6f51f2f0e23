import { Args } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { NoraCommand } from '../output/nora-command.js';
import { htpasswdFile, htpasswdFlag } from '../auth-common.js';

export default class UsersRm extends NoraCommand {
  static override summary = 'Remove a user from the htpasswd file.';
  static override description = 'The user\'s API tokens keep their owner name but lose every permission the owner\'s rules gave.';
  static override args = { name: Args.string({ required: true, description: 'User name.' }) };
  static override flags = { ...configFlags, ...htpasswdFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(UsersRm);
    const file = await htpasswdFile(this, flags);
    const { removeUser } = await import('../../lib/auth/htpasswd.js');
    if (!removeUser(file, args.name)) this.fail(`no user ${args.name} in ${file}`, 3);
    this.log(`user ${args.name} removed from ${file}`);
  }
}
