import { Flags } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';
import { outputFlags } from '../output/flags.js';
import { NoraCommand } from '../output/nora-command.js';

export default class TokensCreate extends NoraCommand {
  static override summary = 'Create an API token for a user (talks to the store directly, like every operator command).';
  static override description = `The token is printed once (alone on stdout; with --json, as "token" beside the record); only its hash is stored. Permissions must be a subset of the owner's rules (default: all of them). Users create their own tokens over HTTP with POST /api/tokens.`;
  static override examples = [
    '<%= config.bin %> tokens create --owner alice --name ci --permission "push:npm:@acme/*" --expires 30d',
  ];

  static override flags = {
    ...configFlags,
    ...outputFlags,
    owner: Flags.string({ required: true, description: 'User the token acts for.' }),
    name: Flags.string({ required: true, description: 'A label for the token.' }),
    permission: Flags.string({ multiple: true, description: 'ACTION:GLOB or ACTION:FORMAT:GLOB (repeatable).' }),
    expires: Flags.string({ description: 'Lifetime such as 30d or 12h; 0 never expires (default: [auth] token_ttl).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(TokensCreate);
    const loaded = await loadConfigOrExit(this, flags);
    const { issueToken } = await import('../../lib/auth/token-issuer.js');
    const { parseDuration } = await import('../../lib/config/units.js');
    const ttlMs = flags.expires === undefined ? undefined : parseDuration(flags.expires);
    if (flags.expires !== undefined && ttlMs === undefined) this.fail(`--expires: expected a duration such as 30d or 12h, got "${flags.expires}"`, 2);
    const services = await openServicesOrExit(this, loaded);
    // With access control on, a token for a user nobody knows is a typo (or a removed user).
    const { unknownOwnerReason } = await import('../../lib/auth/setup-checks.js');
    const unknown = services.auth.enabled ? unknownOwnerReason(services.auth, flags.owner) : undefined;
    if (unknown) {
      await services.close();
      this.fail(unknown, 2);
    }
    try {
      const { token, record } = await issueToken(services.auth, { kind: 'user', name: flags.owner }, {
        name: flags.name, ...(flags.permission ? { permissions: flags.permission } : {}), ...(ttlMs !== undefined ? { ttlMs } : {}),
      });
      await services.audit.write({ identity: 'cli', action: 'token-create', resource: 'nora:tokens', outcome: 'ok', detail: `${record.id} ${record.name} for ${record.owner}` });
      const { outputMode } = await import('../output/flags.js');
      const { printResult } = await import('../output/print.js');
      const mode = outputMode(flags);
      printResult(mode, { token, ...record }, token);
      if (mode === 'table') process.stderr.write(`token ${record.id} "${record.name}" for ${record.owner}, expires ${record.expires ?? 'never'}; permissions: ${record.permissions.join(' ') || '(none)'}\n`);
    } finally {
      await services.close();
    }
  }
}
