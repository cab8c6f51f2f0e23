// Opens the services of a command over the configured store. Operator commands need a store
// that exists (only `serve` and `restore` create one): when there is none, or NORA cannot use
// it, the command stops with exit 2 and says where it looked and which setting sent it there.
import type { Command } from '@oclif/core';
import type { LoadedConfig } from '../lib/config/loader.js';
import type { ServiceOptions, Services } from '../lib/services.js';
import type { StoreMode } from '../lib/storage/open-store.js';
import { flagNameOf } from './config-flags.js';

/** Codes that mean "this is not a store NORA can use here": a setting to fix, exit 2. */
const STORE_PROBLEMS = new Set(['STORE_NOT_FOUND', 'STORE_LAYOUT_UNSUPPORTED', 'STORE_UNUSABLE']);

export async function openServicesOrExit(command: Command, loaded: LoadedConfig, mode: StoreMode = 'existing', options: ServiceOptions = {}): Promise<Services> {
  const { createServices } = await import('../lib/services.js');
  const { isNoraError } = await import('../lib/errors/nora-error.js');
  try {
    return await createServices(loaded.config, { ...options, open: { ...options.open, mode } });
  } catch (error) {
    if (!isNoraError(error) || !STORE_PROBLEMS.has(error.code)) throw error;
    process.stderr.write(`${storeProblem(command.id ?? 'nora', loaded, error.message, error.code)}\n`);
    return command.exit(2);
  }
}

/** The message for a store problem: what is wrong, the setting behind it and where that came from. */
export function storeProblem(commandId: string, loaded: LoadedConfig, message: string, code: string): string {
  const lines = [`nora ${commandId.replaceAll(':', ' ')}: ${message}`];
  for (const key of storeKeys(loaded)) lines.push(`  ${key} = ${JSON.stringify(valueOf(loaded, key))} (from ${originText(loaded, key)})`);
  if (code === 'STORE_NOT_FOUND') {
    lines.push('  Point the command at the store `nora serve` uses (same --config, --data-dir or NORA_STORAGE_* settings); only `nora serve` and `nora restore` create a store.');
  }
  return lines.join('\n');
}

function storeKeys(loaded: LoadedConfig): string[] {
  const backend = loaded.config.storage.backend;
  const keys = backend === 's3' ? ['storage.s3.bucket', 'storage.s3.prefix', 'storage.s3.endpoint'] : backend === 'fs' ? ['storage.data_dir'] : [];
  return loaded.origin('storage.backend') === 'default' ? keys : ['storage.backend', ...keys];
}

function valueOf(loaded: LoadedConfig, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], loaded.config);
}

function originText(loaded: LoadedConfig, key: string): string {
  const origin = loaded.origin(key);
  if (origin === 'command-line flag') return flagNameOf(key) ?? origin;
  if (origin === 'default' && key === 'storage.data_dir') return `the default, relative to the current directory ${process.cwd()}`;
  return origin === 'default' ? 'the default' : origin;
}
