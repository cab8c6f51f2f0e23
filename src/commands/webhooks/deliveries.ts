import { Command, Flags } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';

export default class WebhooksDeliveries extends Command {
  static override summary = 'List webhook deliveries: state, attempts, last response code and time, last error.';
  static override description = `Reads the delivery queues in the store of the configuration, so it shows what every server on that store queued.
States: pending (waiting or retrying), claimed (being sent), done (acknowledged with a 2xx), dead (gave up after max_attempts).`;

  static override examples = [
    { description: 'Everything that failed: dead-lettered or retrying', command: '<%= config.bin %> webhooks deliveries --failed' },
    { description: 'One hook, as JSON', command: '<%= config.bin %> webhooks deliveries --hook ci --json' },
  ];

  static override flags = {
    ...configFlags,
    hook: Flags.string({ description: 'Only this hook.', helpValue: 'NAME' }),
    failed: Flags.boolean({ description: 'Only dead-lettered deliveries and pending ones that failed at least once.', exclusive: ['state'] }),
    state: Flags.string({ description: 'Only deliveries in this state.', options: ['pending', 'claimed', 'done', 'dead'] }),
    limit: Flags.integer({ description: 'Most deliveries shown.', default: 100, min: 1, max: 100_000 }),
    json: Flags.boolean({ description: 'Print a JSON array.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(WebhooksDeliveries);
    const { config } = await loadConfigOrExit(this, flags);
    const { createServices } = await import('../../lib/services.js');
    const { isNoraError } = await import('../../lib/errors/nora-error.js');
    const services = await createServices(config, { pullFlushMs: 0 });
    try {
      const state = flags.failed ? 'failed' as const : flags.state as 'pending' | 'claimed' | 'done' | 'dead' | undefined;
      const shown = [];
      let cursor: string | undefined;
      do {
        const page = await services.webhooks.deliveries({ ...(flags.hook ? { hook: flags.hook } : {}), ...(state ? { state } : {}), ...(cursor ? { cursor } : {}), limit: Math.min(500, flags.limit - shown.length) });
        shown.push(...page.deliveries);
        cursor = page.cursor;
      } while (cursor && shown.length < flags.limit);
      if (flags.json) return this.log(JSON.stringify(shown, null, 2));
      if (shown.length === 0) return this.log('no deliveries');
      for (const d of shown) {
        const what = d.artifact ? `${d.artifact.format}:${d.artifact.name}${d.artifact.reference ? `:${d.artifact.reference}` : ''}` : '-';
        const status = d.last_status ?? (d.last_error ? 'no answer' : '-');
        this.log(`${d.id}  ${d.hook}  ${d.event}  ${what}  ${d.state}  attempts=${d.attempts}/${d.max_attempts}  status=${status}  at=${d.last_attempt_at ?? d.enqueued_at}${d.last_error ? `  error=${d.last_error}` : ''}`);
      }
    } catch (error) {
      if (!isNoraError(error)) throw error;
      process.stderr.write(`nora webhooks deliveries: ${error.message}\n`);
      this.exit(error.status === 404 ? 3 : error.status === 400 ? 2 : 1);
    } finally {
      await services.close();
    }
  }
}
