import { Args, Flags } from '@oclif/core';
import { apiFlags } from '../api-client.js';
import { outputFlags } from '../output/flags.js';
import { NoraCommand } from '../output/nora-command.js';

interface Item { type: string; name: string; version: string; digest: string; size: number; pushed: string }

export default class ImagesLs extends NoraCommand {
  static override summary = 'List images and packages of a running server.';
  static override description = `Repositories with their tags, digests, sizes (config + layers; for a multi-platform index, every stored platform's, shared layers once, and per platform in JSON) and push dates. --type lists the packages of another format (npm, maven, cargo, pypi). Talks to the server's management API (GET /api/artifacts).
An empty listing prints the table header, nothing with --json (JSON lines) and [] with --format json.
Exit codes: 0 listed (possibly nothing), 1 failure, 2 usage error.`;

  static override examples = [
    { description: 'Every image', command: '<%= config.bin %> images ls --server https://nora.example.com' },
    { description: 'Images under team/, one JSON object per line', command: "<%= config.bin %> images ls 'team/*' --json" },
    { description: 'npm packages, tab-separated', command: '<%= config.bin %> images ls --type npm --format tsv' },
  ];

  static override args = { glob: Args.string({ description: 'Only names matching this glob (e.g. "team/*").' }) };

  static override flags = {
    ...apiFlags,
    ...outputFlags,
    type: Flags.string({ description: 'Format to list.', options: ['oci', 'npm', 'maven', 'cargo', 'pypi'], default: 'oci' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImagesLs);
    const { callApi } = await import('../api-client.js');
    const { outputMode } = await import('../output/flags.js');
    const { printList } = await import('../output/print.js');
    const query = new URLSearchParams({ type: flags.type, ...(args.glob ? { glob: args.glob } : {}) });
    const { items } = await callApi<{ items: Item[] }>(flags, 'GET', `api/artifacts?${query}`);
    const oci = flags.type === 'oci';
    printList(outputMode(flags), items, [
      { header: oci ? 'REPOSITORY' : 'NAME', value: (i) => i.name },
      { header: oci ? 'TAG' : 'VERSION', value: (i) => i.version },
      { header: 'DIGEST', value: (i) => (outputMode(flags) === 'table' ? i.digest.slice(0, 19) : i.digest) },
      { header: 'SIZE', value: (i) => i.size },
      { header: 'PUSHED', value: (i) => i.pushed },
    ]);
  }
}
