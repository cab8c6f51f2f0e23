import { Args, Command, Flags } from '@oclif/core';
import { apiFlags } from './api-client.js';

export default class Tag extends Command {
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

  static override flags = { ...apiFlags, json: Flags.boolean({ description: 'Print the result as JSON.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Tag);
    const { callApi, ApiFailure } = await import('./api-client.js');
    try {
      const result = await callApi<{ source: string; target: string; digest: string }>(flags, 'POST', 'api/tags', { source: args.src, target: args.dst });
      process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `tagged ${result.target} -> ${result.digest}\n`);
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      process.stderr.write(`nora tag: ${error.message}\n`);
      this.exit(error.exitCode);
    }
  }
}
