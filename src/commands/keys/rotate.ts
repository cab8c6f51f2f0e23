import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';
import { outputFlags } from '../output/flags.js';
import { NoraCommand } from '../output/nora-command.js';

export default class KeysRotate extends NoraCommand {
  static override summary = 'Rotate the key that signs OCI registry tokens (the previous key still verifies until its tokens expire).';
  static override flags = { ...configFlags, ...outputFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(KeysRotate);
    const loaded = await loadConfigOrExit(this, flags);
    const { rotateRegistryKey } = await import('../../lib/auth/registry-keys.js');
    const services = await openServicesOrExit(this, loaded);
    try {
      const kid = await rotateRegistryKey(services.store);
      await services.audit.write({ identity: 'cli', action: 'key-rotate', resource: 'nora:keys', outcome: 'ok', detail: kid });
      const { outputMode } = await import('../output/flags.js');
      const { printResult } = await import('../output/print.js');
      printResult(outputMode(flags), { kid }, `new registry signing key ${kid}`);
    } finally {
      await services.close();
    }
  }
}
