import { Command } from '@oclif/core';
import { configFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { openServicesOrExit } from '../open-services.js';

export default class KeysRotate extends Command {
  static override summary = 'Rotate the key that signs OCI registry tokens (the previous key still verifies until its tokens expire).';
  static override flags = { ...configFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(KeysRotate);
    const loaded = await loadConfigOrExit(this, flags);
    const { rotateRegistryKey } = await import('../../lib/auth/registry-keys.js');
    const services = await openServicesOrExit(this, loaded);
    try {
      const kid = await rotateRegistryKey(services.store);
      await services.audit.write({ identity: 'cli', action: 'key-rotate', resource: 'nora:keys', outcome: 'ok', detail: kid });
      this.log(`new registry signing key ${kid}`);
    } finally {
      await services.close();
    }
  }
}
