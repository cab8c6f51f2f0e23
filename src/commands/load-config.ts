// Loads the configuration for a command; a ConfigError is printed as is and exits with code 2.
import type { Command } from '@oclif/core';
import type { LoadedConfig } from '../lib/config/loader.js';
import { flagOverrides } from './config-flags.js';

export async function loadConfigOrExit(command: Command, flags: Record<string, unknown>): Promise<LoadedConfig> {
  const { loadConfig, ConfigError } = await import('../lib/config/index.js');
  try {
    return loadConfig({ ...(flags.config ? { configPath: flags.config as string } : {}), flags: flagOverrides(flags) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`nora: invalid configuration\n${error.message.replace(/^/gm, '  ')}\n`);
    return command.exit(2);
  }
}
