import { Args, Command, Flags } from '@oclif/core';
import { apiFlags } from '../api-client.js';

interface Item { type: string; name: string; version: string; digest: string; size: number; pushed: string }

export default class ImagesLs extends Command {
  static override summary = 'List images and packages of a running server.';
  static override description = `Repositories with their tags, digests, sizes (config + layers; for a multi-platform index, every stored platform's, shared layers once, and per platform in --format json) and push dates; --type lists the packages of another format (npm, maven, cargo, pypi). Talks to the server's management API (GET /api/artifacts).
Exit codes: 0 listed (possibly nothing), 1 failure, 2 usage error.`;

  static override examples = [
    { description: 'Every image', command: '<%= config.bin %> images ls --server https://nora.example.com' },
    { description: 'Images under team/, as JSON', command: "<%= config.bin %> images ls 'team/*' --format json" },
    { description: 'npm packages, tab-separated', command: '<%= config.bin %> images ls --type npm --format tsv' },
  ];

  static override args = { glob: Args.string({ description: 'Only names matching this glob (e.g. "team/*").' }) };

  static override flags = {
    ...apiFlags,
    type: Flags.string({ description: 'Format to list.', options: ['oci', 'npm', 'maven', 'cargo', 'pypi'], default: 'oci' }),
    format: Flags.string({ description: 'Output format.', options: ['table', 'json', 'tsv'], default: 'table' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImagesLs);
    const { callApi, ApiFailure } = await import('../api-client.js');
    const query = new URLSearchParams({ type: flags.type, ...(args.glob ? { glob: args.glob } : {}) });
    let items: Item[];
    try {
      items = (await callApi<{ items: Item[] }>(flags, 'GET', `api/artifacts?${query}`)).items;
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      process.stderr.write(`nora images ls: ${error.message}\n`);
      return this.exit(error.exitCode);
    }
    const columns = ['name', 'version', 'digest', 'size', 'pushed'] as const;
    if (flags.format === 'json') process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    else if (flags.format === 'tsv') process.stdout.write(items.map((i) => columns.map((c) => String(i[c])).join('\t') + '\n').join(''));
    else {
      const header = [flags.type === 'oci' ? 'REPOSITORY' : 'NAME', flags.type === 'oci' ? 'TAG' : 'VERSION', 'DIGEST', 'SIZE', 'PUSHED'];
      const rows = [header, ...items.map((i) => [i.name, i.version, i.digest.slice(0, 19), String(i.size), i.pushed])];
      const widths = header.map((_h, c) => Math.max(...rows.map((r) => r[c]!.length)));
      process.stdout.write(rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd() + '\n').join(''));
    }
  }
}
