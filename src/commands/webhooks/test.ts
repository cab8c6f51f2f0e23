import { Args, Command, Flags } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';

export default class WebhooksTest extends Command {
  static override summary = 'Send a "ping" event to a webhook now, signed and shaped as its deliveries are, and show the answer.';
  static override description = 'Sent from this command (not queued): exits 0 when the receiver answers 2xx, 1 otherwise. The secret is read from the hook\'s secret_env here.';
  static override examples = [{ description: 'Check that the "ci" receiver is reachable and verifies the signature', command: 'NORA_HOOK_SECRET=... <%= config.bin %> webhooks test ci' }];
  static override args = { name: Args.string({ required: true, description: 'Hook name ([[webhooks]] name).' }) };
  static override flags = { ...configFlags, json: Flags.boolean({ description: 'Print the result as JSON.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WebhooksTest);
    const loaded = await loadConfigOrExit(this, flags);
    const { isNoraError } = await import('../../lib/errors/nora-error.js');
    const services = await openServicesOrExit(this, loaded, 'existing', { pullFlushMs: 0 });
    let failed = false;
    try {
      const result = await services.webhooks.ping(args.name);
      failed = !result.ok;
      const shown = { id: result.id, ok: result.ok, ...(result.status === undefined ? {} : { status: result.status }), duration_ms: result.durationMs, ...(result.error ? { error: result.error } : {}) };
      if (flags.json) this.log(JSON.stringify(shown, null, 2));
      else if (result.ok) this.log(`ping ${result.id} to ${args.name}: HTTP ${result.status} in ${result.durationMs} ms`);
      else process.stderr.write(`nora webhooks test: ping ${result.id} to ${args.name} failed: ${result.error ?? 'no answer'} (${result.durationMs} ms)\n`);
    } catch (error) {
      if (!isNoraError(error)) throw error;
      process.stderr.write(`nora webhooks test: ${error.message}\n`);
      this.exit(error.status === 404 ? 3 : 1);
    } finally {
      await services.close();
    }
    if (failed) this.exit(1);
  }
}
