import { Args } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';
import { outputFlags } from '../output/flags.js';
import { NoraCommand } from '../output/nora-command.js';

export default class TokensRevoke extends NoraCommand {
  static override summary = 'Revoke an API token by its id (from `tokens ls`); it stops working on the next request.';
  static override description = 'Exit codes: 0 revoked, 1 failure, 2 usage or configuration error, 3 no token with that id.';
  static override args = { id: Args.string({ required: true, description: 'Token id.' }) };
  static override flags = { ...configFlags, ...outputFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TokensRevoke);
    const loaded = await loadConfigOrExit(this, flags);
    const { outputMode } = await import('../output/flags.js');
    const { printResult } = await import('../output/print.js');
    const { out } = await import('../output/colour.js');
    const services = await openServicesOrExit(this, loaded);
    try {
      const revoked = await services.auth.tokens.revoke(args.id);
      if (!revoked) this.fail(`no token ${args.id}: "nora tokens ls" lists the ids`, 3);
      await services.audit.write({ identity: 'cli', action: 'token-revoke', resource: 'nora:tokens', outcome: 'ok', detail: `${revoked.id} ${revoked.name}` });
      printResult(outputMode(flags), { revoked: revoked.id, name: revoked.name, owner: revoked.owner }, `${out.green('revoked')} ${revoked.id} "${revoked.name}" of ${revoked.owner}`);
    } finally {
      await services.close();
    }
  }
}
