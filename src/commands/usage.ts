import { Flags } from '@oclif/core';
import { apiFlags } from './api-client.js';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { openServicesOrExit } from './open-services.js';
import { outputFlags } from './output/flags.js';
import { NoraCommand } from './output/nora-command.js';

export default class Usage extends NoraCommand {
  static override summary = 'Show tenants\' storage against their quotas, artifacts and traffic; or rebuild usage from the store.';
  static override description = `Asks a running server (GET /api/usage): bytes used and quota, artifact counts per format, the largest names, pushes and pulls in the last hour and day and bytes in and out. Storage usage is shared by every server on a store; pushes, pulls and bandwidth are the asked server's own counts (rate limits are enforced per server). Admins see every tenant, members their own.
With --recount, reads the store itself (no server needed; it may run beside one) and rebuilds every tenant's usage document from the formats' metadata.
TSV columns: tenant, used, quota, percent, pushes in the last hour, pulls in the last hour, bytes in and out in the last day.
Exit codes: 0 shown, 1 failure, 2 usage error, 3 unknown tenant.`;

  static override examples = [
    { description: 'Every tenant', command: '<%= config.bin %> usage --server https://nora.example.com' },
    { description: 'One tenant as JSON', command: '<%= config.bin %> usage --tenant team-frontend --json' },
    { description: 'Rebuild usage from the metadata', command: '<%= config.bin %> usage --recount --config /etc/nora/nora.toml' },
  ];

  static override flags = {
    ...apiFlags,
    ...configFlags,
    ...outputFlags,
    tenant: Flags.string({ description: 'Only this tenant.', helpValue: 'NAME' }),
    recount: Flags.boolean({ description: 'Rebuild usage from the store\'s metadata ([storage] of the config) instead of asking a server.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Usage);
    if (flags.recount) return this.recount(flags);
    const { callApi } = await import('./api-client.js');
    const { outputMode } = await import('./output/flags.js');
    const { printList } = await import('./output/print.js');
    const { formatBytes } = await import('./output/progress.js');
    type Report = import('../lib/tenants/usage-report.js').UsageReport;
    const reports = flags.tenant
      ? [await callApi<Report>(flags, 'GET', `api/usage/${encodeURIComponent(flags.tenant)}`)]
      : (await callApi<{ items: Report[] }>(flags, 'GET', 'api/usage')).items;
    const mode = outputMode(flags);
    const bytes = (n: number) => (mode === 'table' ? formatBytes(n) : n);
    printList(mode, reports, [
      { header: 'TENANT', value: (r) => r.tenant },
      { header: 'USED', value: (r) => bytes(r.used) },
      { header: 'QUOTA', value: (r) => (r.quota > 0 ? bytes(r.quota) : mode === 'table' ? 'none' : 0) },
      { header: '%', value: (r) => (r.percent === null ? undefined : r.percent) },
      { header: 'PUSHES/H', value: (r) => r.pushes.hour },
      { header: 'PULLS/H', value: (r) => r.pulls.hour },
      { header: 'IN/DAY', value: (r) => bytes(r.bytes_in.day) },
      { header: 'OUT/DAY', value: (r) => bytes(r.bytes_out.day) },
      { header: 'ARTIFACTS', value: (r) => Object.entries(r.artifacts).map(([format, c]) => `${format}:${c.names}/${c.versions}`).join(' ') },
      { header: 'LARGEST', value: (r) => (r.largest[0] ? `${r.largest[0].name} (${formatBytes(r.largest[0].bytes)})` : undefined) },
    ]);
  }

  private async recount(flags: Record<string, unknown>): Promise<void> {
    const loaded = await loadConfigOrExit(this, flags);
    const { config } = loaded;
    if (config.tenants.length === 0) this.fail('no [[tenants]] in the configuration; nothing to count', 2);
    const { recountUsage } = await import('../lib/tenants/recount.js');
    const { outputMode } = await import('./output/flags.js');
    const { printList } = await import('./output/print.js');
    const { formatBytes } = await import('./output/progress.js');
    const services = await openServicesOrExit(this, loaded);
    try {
      const results = await recountUsage(services.tenants, services.formats, config.quota.warn_at);
      const mode = outputMode(flags);
      printList(mode, results, [
        { header: 'TENANT', value: (r) => r.tenant },
        { header: 'USED', value: (r) => (mode === 'table' ? formatBytes(r.used) : r.used) },
        { header: 'NAMES', value: (r) => r.names },
      ]);
    } finally {
      await services.close();
    }
  }
}
