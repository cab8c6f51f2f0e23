import { Flags } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';
import { outputFlags } from '../output/flags.js';
import { NoraCommand } from '../output/nora-command.js';

export default class WebhooksDeliveries extends NoraCommand {
  static override summary = 'List webhook deliveries: state, attempts, last response code and time, last error.';
  static override description = `Reads the delivery queues in the store of the configuration, so it shows what every server on that store queued.
States: pending (waiting or retrying), claimed (being sent), done (acknowledged with a 2xx), dead (gave up after max_attempts).
An empty listing prints the table header, nothing with --json (JSON lines) and [] with --format json.`;

  static override examples = [
    { description: 'Everything that failed: dead-lettered or retrying', command: '<%= config.bin %> webhooks deliveries --failed' },
    { description: 'One hook, one JSON object per line', command: '<%= config.bin %> webhooks deliveries --hook ci --json' },
  ];

  static override flags = {
    ...configFlags,
    hook: Flags.string({ description: 'Only this hook.', helpValue: 'NAME' }),
    failed: Flags.boolean({ description: 'Only dead-lettered deliveries and pending ones that failed at least once.', exclusive: ['state'] }),
    state: Flags.string({ description: 'Only deliveries in this state.', options: ['pending', 'claimed', 'done', 'dead'] }),
    limit: Flags.integer({ description: 'Most deliveries shown.', default: 100, min: 1, max: 100_000 }),
    ...outputFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(WebhooksDeliveries);
    const loaded = await loadConfigOrExit(this, flags);
    const { isNoraError } = await import('../../lib/errors/nora-error.js');
    const { outputMode } = await import('../output/flags.js');
    const { printList } = await import('../output/print.js');
    const services = await openServicesOrExit(this, loaded, 'existing', { pullFlushMs: 0 });
    try {
      const state = flags.failed ? 'failed' as const : flags.state as 'pending' | 'claimed' | 'done' | 'dead' | undefined;
      const shown = [];
      let cursor: string | undefined;
      do {
        const page = await services.webhooks.deliveries({ ...(flags.hook ? { hook: flags.hook } : {}), ...(state ? { state } : {}), ...(cursor ? { cursor } : {}), limit: Math.min(500, flags.limit - shown.length) });
        shown.push(...page.deliveries);
        cursor = page.cursor;
      } while (cursor && shown.length < flags.limit);
      printList(outputMode(flags), shown, [
        { header: 'ID', value: (d) => d.id },
        { header: 'HOOK', value: (d) => d.hook },
        { header: 'EVENT', value: (d) => d.event },
        { header: 'ARTIFACT', value: (d) => (d.artifact ? `${d.artifact.format}:${d.artifact.name}${d.artifact.reference ? `:${d.artifact.reference}` : ''}` : undefined) },
        { header: 'STATE', value: (d) => d.state },
        { header: 'ATTEMPTS', value: (d) => `${d.attempts}/${d.max_attempts}` },
        { header: 'STATUS', value: (d) => d.last_status ?? (d.last_error ? 'no answer' : undefined) },
        { header: 'AT', value: (d) => d.last_attempt_at ?? d.enqueued_at },
        { header: 'ERROR', value: (d) => d.last_error },
      ]);
    } catch (error) {
      if (!isNoraError(error)) throw error;
      process.stderr.write(`nora webhooks deliveries: ${error.message}\n`);
      this.exit(error.status === 404 ? 3 : error.status === 400 ? 2 : 1);
    } finally {
      await services.close();
    }
  }
}
