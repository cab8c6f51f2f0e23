import { Flags } from '@oclif/core';
import { configFlags, serverFlags } from '../config-flags.js';
import { loadConfigOrExit } from '../load-config.js';
import { NoraCommand } from '../output/nora-command.js';

export default class ConfigCheck extends NoraCommand {
  static override summary = 'Validate the configuration and print the effective values.';
  static override description = `Reads nora.toml, NORA_* environment variables and flags exactly as "nora serve" does, and prints the result.
Secrets are shown as ***. Exits with code 2 and names the key (and file line) of every problem.`;

  static override examples = [
    { description: 'Check ./nora.toml (or $NORA_CONFIG)', command: '<%= config.bin %> config check' },
    { description: 'Check a file and print JSON', command: '<%= config.bin %> config check --config nora.toml --json' },
  ];

  static override flags = {
    ...configFlags,
    ...serverFlags,
    json: Flags.boolean({ description: 'Print JSON instead of TOML.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ConfigCheck);
    const loaded = await loadConfigOrExit(this, flags, { requireEnvReferences: true });
    const { renderJson, renderToml } = await import('../../lib/config/index.js');
    if (flags.json) {
      this.log(renderJson(loaded.config));
    } else {
      this.log(`# effective configuration${loaded.file ? ` (file: ${loaded.file})` : ' (no config file; defaults, NORA_* and flags)'}`);
      this.log(renderToml(loaded.config));
    }
  }
}
