import { Args, Flags } from '@oclif/core';
import { apiFlags } from './api-client.js';
import { outputFlags } from './output/flags.js';
import { NoraCommand } from './output/nora-command.js';

export default class Delete extends NoraCommand {
  static override summary = 'Delete a tag, a manifest or a package version on a running server.';
  static override description = `REF is repository:tag, repository@digest (the manifest and its tags), or a package version: npm:left-pad@1.0.0, npm:@scope/pkg@2.0.0, maven:com.example:lib@1.0, cargo:serde@1.0.0, pypi:requests@2.31.0. A reference that fits two formats is refused; prefix it (oci:, npm:, ...). Bytes are freed by the next \`nora gc\` (DELETE /api/artifacts).
Exit codes: 0 deleted, 1 failure, 2 bad or ambiguous reference, 3 not found.`;

  static override examples = [
    { description: 'A tag', command: '<%= config.bin %> delete app:old' },
    { description: 'An npm version, checking first', command: '<%= config.bin %> delete npm:left-pad@1.0.0 --dry-run' },
  ];

  static override args = { ref: Args.string({ description: 'What to delete.', required: true }) };

  static override flags = {
    ...apiFlags,
    ...outputFlags,
    'dry-run': Flags.boolean({ description: 'Check that REF exists; delete nothing.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Delete);
    const { callApi } = await import('./api-client.js');
    const { outputMode } = await import('./output/flags.js');
    const { printResult } = await import('./output/print.js');
    const { out } = await import('./output/colour.js');
    const query = new URLSearchParams({ ref: args.ref, ...(flags['dry-run'] ? { dry_run: 'true' } : {}) });
    const { deleted } = await callApi<{ deleted: { ref: string; dry_run: boolean } }>(flags, 'DELETE', `api/artifacts?${query}`);
    printResult(outputMode(flags), deleted, `${deleted.dry_run ? out.yellow('would delete') : out.green('deleted')} ${deleted.ref}`);
  }
}
