import { Command, Flags } from '@oclif/core';
import { apiFlags } from './api-client.js';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';

export default class Usage extends Command {
  static override summary = 'Show tenants\' storage against their quotas, artifacts and traffic; or rebuild usage from the store.';
  static override description = `Asks a running server (GET /api/usage): bytes used and quota, artifact counts per format, the largest names, pushes and pulls in the last hour and day and bytes in and out. Storage usage is shared by every server on a store; pushes, pulls and bandwidth are the asked server's own counts (rate limits are enforced per server). Admins see every tenant, members their own.
With --recount, reads the store itself (no server needed; it may run beside one) and rebuilds every tenant's usage document from the formats' metadata.
Exit codes: 0 shown, 1 failure, 2 usage error, 3 unknown tenant.`;

  static override examples = [
    { description: 'Every tenant', command: '<%= config.bin %> usage --server https://nora.example.com' },
    { description: 'One tenant as JSON', command: '<%= config.bin %> usage --tenant team-frontend --json' },
    { description: 'Rebuild usage from the metadata', command: '<%= config.bin %> usage --recount --config /etc/nora/nora.toml' },
  ];

  static override flags = {
    ...apiFlags,
    ...configFlags,
    tenant: Flags.string({ description: 'Only this tenant.', helpValue: 'NAME' }),
    json: Flags.boolean({ description: 'Print JSON (same as --format json).', exclusive: ['format'] }),
    format: Flags.string({ description: 'Output format.', options: ['table', 'json', 'tsv'], default: 'table' }),
    recount: Flags.boolean({ description: 'Rebuild usage from the store\'s metadata ([storage] of the config) instead of asking a server.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Usage);
    const format = flags.json ? 'json' : flags.format;
    if (flags.recount) return this.recount(flags, format);
    const { callApi, ApiFailure } = await import('./api-client.js');
    const { usageTable, usageTsv } = await import('./usage-output.js');
    type Report = import('../lib/tenants/usage-report.js').UsageReport;
    let reports: Report[];
    try {
      reports = flags.tenant
        ? [await callApi<Report>(flags, 'GET', `api/usage/${encodeURIComponent(flags.tenant)}`)]
        : (await callApi<{ items: Report[] }>(flags, 'GET', 'api/usage')).items;
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      process.stderr.write(`nora usage: ${error.message}\n`);
      return this.exit(error.exitCode);
    }
    if (format === 'json') process.stdout.write(`${JSON.stringify(flags.tenant ? reports[0] : reports, null, 2)}\n`);
    else process.stdout.write(format === 'tsv' ? usageTsv(reports) : usageTable(reports));
  }

  private async recount(flags: Record<string, unknown>, format: string): Promise<void> {
    const { config } = await loadConfigOrExit(this, flags);
    if (config.tenants.length === 0) {
      process.stderr.write('nora usage: no [[tenants]] in the configuration; nothing to count\n');
      return this.exit(2);
    }
    const { createServices } = await import('../lib/services.js');
    const { recountUsage } = await import('../lib/tenants/recount.js');
    const { formatBytes } = await import('./reporter.js');
    const services = await createServices(config);
    try {
      const results = await recountUsage(services.tenants, services.formats, config.quota.warn_at);
      if (format === 'json') process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else if (format === 'tsv') process.stdout.write(results.map((r) => `${r.tenant}\t${r.used}\t${r.names}\n`).join(''));
      else process.stdout.write(results.map((r) => `${r.tenant}: ${formatBytes(r.used)} in ${r.names} names\n`).join(''));
    } catch (error) {
      process.stderr.write(`nora usage --recount: failed: ${(error as Error).message}\n`);
      this.exit(1);
    } finally {
      await services.close();
    }
  }
}
