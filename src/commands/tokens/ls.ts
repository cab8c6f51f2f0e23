import { Command, Flags } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';

export default class TokensLs extends Command {
  static override summary = 'List API tokens (id, name, owner, permissions, created, expiry, last use); never the tokens themselves.';
  static override flags = { ...configFlags, owner: Flags.string({ description: 'Only this user\'s tokens.' }), json: Flags.boolean({ description: 'Print JSON.' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(TokensLs);
    const loaded = await loadConfigOrExit(this, flags);
    const services = await openServicesOrExit(this, loaded);
    try {
      const tokens = await services.auth.tokens.list(flags.owner);
      if (flags.json) return this.log(JSON.stringify(tokens, null, 2));
      for (const t of tokens) {
        this.log(`${t.id}  ${t.name}  owner=${t.owner}  created=${t.created}  expires=${t.expires ?? 'never'}  last_used=${t.last_used ?? 'never'}  ${t.permissions.join(' ')}`);
      }
    } finally {
      await services.close();
    }
  }
}
