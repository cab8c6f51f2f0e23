// Loads the configuration for a command; a ConfigError is printed as is and exits with code 2;
// warnings (a misspelled NORA_* variable) go to standard error.
import type { LoadedConfig } from '../lib/config/loader.js';
import { flagOverrides } from './config-flags.js';

/** What stops a command with an exit code: an oclif Command, or serve's fast path (src/commands/serve-fast.ts). */
export interface Exits { exit(code?: number): never }

export async function loadConfigOrExit(command: Exits, flags: Record<string, unknown>, options: { printWarnings?: boolean; requireEnvReferences?: boolean } = {}): Promise<LoadedConfig> {
  const { loadConfig, ConfigError } = await import('../lib/config/index.js');
  try {
    const loaded = loadConfig({ ...(flags.config ? { configPath: flags.config as string } : {}), flags: flagOverrides(flags), requireEnvReferences: options.requireEnvReferences ?? false });
    // serve logs its warnings with the start line instead.
    if (options.printWarnings ?? true) for (const warning of loaded.warnings) process.stderr.write(`nora: warning: ${warning}\n`);
    return loaded;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`nora: invalid configuration\n${error.message.replace(/^/gm, '  ')}\n`);
    return command.exit(2);
  }
}

/** Loads the configuration again exactly as loadConfigOrExit did (for serve's SIGHUP); throws a ConfigError. */
export async function configReloader(flags: Record<string, unknown>, options: { requireEnvReferences?: boolean } = {}): Promise<() => import('../lib/config/schema.js').NoraConfig> {
  const { loadConfig } = await import('../lib/config/index.js');
  return () => loadConfig({ ...(flags.config ? { configPath: flags.config as string } : {}), flags: flagOverrides(flags), requireEnvReferences: options.requireEnvReferences ?? false }).config;
}
