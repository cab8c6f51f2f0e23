import { Args, Command } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';

export default class TokensRevoke extends Command {
  static override summary = 'Revoke an API token by its id (from `tokens ls`); it stops working on the next request.';
  static override args = { id: Args.string({ required: true, description: 'Token id.' }) };
  static override flags = { ...configFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TokensRevoke);
    const loaded = await loadConfigOrExit(this, flags);
    const services = await openServicesOrExit(this, loaded);
    try {
      const revoked = await services.auth.tokens.revoke(args.id);
      if (!revoked) this.error(`no token ${args.id}`, { exit: 1 });
      await services.audit.write({ identity: 'cli', action: 'token-revoke', resource: 'nora:tokens', outcome: 'ok', detail: `${revoked.id} ${revoked.name}` });
      this.log(`revoked ${revoked.id} "${revoked.name}" of ${revoked.owner}`);
    } finally {
      await services.close();
    }
  }
}
