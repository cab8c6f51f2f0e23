import { Flags } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';
import { outputFlags } from '../output/flags.js';
import { NoraCommand } from '../output/nora-command.js';

export default class TokensLs extends NoraCommand {
  static override summary = 'List API tokens (id, name, owner, permissions, created, expiry, last use); never the tokens themselves.';
  static override description = 'An empty listing prints the table header, nothing with --json (JSON lines) and [] with --format json.';
  static override examples = [
    { description: 'Every token', command: '<%= config.bin %> tokens ls' },
    { description: 'One user\'s, one JSON object per line', command: '<%= config.bin %> tokens ls --owner alice --json' },
  ];

  static override flags = { ...configFlags, ...outputFlags, owner: Flags.string({ description: 'Only this user\'s tokens.' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(TokensLs);
    const loaded = await loadConfigOrExit(this, flags);
    const { outputMode } = await import('../output/flags.js');
    const { printList } = await import('../output/print.js');
    const services = await openServicesOrExit(this, loaded);
    try {
      printList(outputMode(flags), await services.auth.tokens.list(flags.owner), [
        { header: 'ID', value: (t) => t.id },
        { header: 'NAME', value: (t) => t.name },
        { header: 'OWNER', value: (t) => t.owner },
        { header: 'CREATED', value: (t) => t.created },
        { header: 'EXPIRES', value: (t) => t.expires ?? 'never' },
        { header: 'LAST USED', value: (t) => t.last_used ?? 'never' },
        { header: 'PERMISSIONS', value: (t) => t.permissions.join(' ') },
      ]);
    } finally {
      await services.close();
    }
  }
}
