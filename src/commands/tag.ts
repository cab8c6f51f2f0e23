import { Args } from '@oclif/core';
import { apiFlags } from './api-client.js';
import { outputFlags } from './output/flags.js';
import { NoraCommand } from './output/nora-command.js';

export default class Tag extends NoraCommand {
  static override summary = 'Tag an existing image of a running server.';
  static override description = `Points DST (repository:tag) at the manifest SRC names (repository:tag or repository@digest), in the same or another repository. No blob passes through the client (POST /api/tags).
Exit codes: 0 tagged, 1 failure, 2 bad reference, 3 SRC not found.`;

  static override examples = [
    { description: 'Promote a build', command: '<%= config.bin %> tag app:build-142 app:stable' },
    { description: 'Into another repository', command: '<%= config.bin %> tag team/app@sha256:3f... release/app:1.4.0' },
  ];

  static override args = {
    src: Args.string({ description: 'Existing image: repository:tag or repository@digest.', required: true }),
    dst: Args.string({ description: 'New tag: repository:tag.', required: true }),
  };

  static override flags = { ...apiFlags, ...outputFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Tag);
    const { callApi } = await import('./api-client.js');
    const { outputMode } = await import('./output/flags.js');
    const { printResult } = await import('./output/print.js');
    const { out } = await import('./output/colour.js');
    const result = await callApi<{ source: string; target: string; digest: string }>(flags, 'POST', 'api/tags', { source: args.src, target: args.dst });
    printResult(outputMode(flags), result, `${out.green('tagged')} ${result.target} -> ${result.digest}`);
  }
}
