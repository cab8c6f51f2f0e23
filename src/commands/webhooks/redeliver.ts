import { Args, Command, Flags } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';

export default class WebhooksRedeliver extends Command {
  static override summary = 'Send a webhook delivery again: a dead or done one with fresh attempts, a retrying one now.';
  static override description = 'The delivery keeps its id (receivers that de-duplicate on it will see a repeat). Running servers pick it up within 5 s (their idle look at the queue).';
  static override examples = [{ description: 'Retry a dead-lettered delivery', command: '<%= config.bin %> webhooks redeliver 0mfq3k2a1-0001-5f2e9a0c1d' }];
  static override args = { id: Args.string({ required: true, description: 'Delivery id (from `nora webhooks deliveries`).' }) };
  static override flags = { ...configFlags, hook: Flags.string({ description: 'The hook of the delivery (default: look in every hook).', helpValue: 'NAME' }), json: Flags.boolean({ description: 'Print the delivery as JSON.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WebhooksRedeliver);
    const loaded = await loadConfigOrExit(this, flags);
    const { isNoraError } = await import('../../lib/errors/nora-error.js');
    const services = await openServicesOrExit(this, loaded, 'existing', { pullFlushMs: 0 });
    try {
      const delivery = await services.webhooks.redeliver(args.id, flags.hook);
      if (flags.json) this.log(JSON.stringify(delivery, null, 2));
      else this.log(`queued ${delivery.id} to ${delivery.hook} again (${delivery.state}, next attempt ${delivery.next_attempt_at ?? 'in progress'})`);
    } catch (error) {
      if (!isNoraError(error)) throw error;
      process.stderr.write(`nora webhooks redeliver: ${error.message}\n`);
      this.exit(error.status === 404 ? 3 : 1);
    } finally {
      await services.close();
    }
  }
}
