// Flags every store-using command shares, and how they map onto config keys. Flags override
// NORA_* variables, which override nora.toml (see src/lib/config/loader.ts).
// The flags module alone, not @oclif/core's index: `nora serve` starts without oclif's command machinery.
import * as Flags from '@oclif/core/flags';

export const configFlags = {
  config: Flags.string({ char: 'c', description: 'Config file (default: $NORA_CONFIG, else ./nora.toml if present).', helpValue: 'FILE' }),
  'data-dir': Flags.string({ description: 'Local data directory: the fs store root [storage.data_dir].', helpValue: 'DIR' }),
  storage: Flags.string({ description: 'Storage backend [storage.backend].', options: ['fs', 's3', 'memory'] }),
  'log-level': Flags.string({ description: 'Log level [log.level].', options: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }),
  'log-format': Flags.string({ description: 'Log lines: readable, JSON, or pretty on a terminal only [log.format].', options: ['auto', 'pretty', 'json'] }),
};

export const serverFlags = {
  host: Flags.string({ char: 'H', description: 'Address to listen on [server.host].', helpValue: 'ADDR' }),
  port: Flags.string({ char: 'p', description: 'Port to listen on; 0 picks a free one [server.port].', helpValue: 'PORT' }),
  'public-url': Flags.string({ description: 'Base URL clients use to reach NORA [server.public_url].', helpValue: 'URL' }),
};

const KEYS: Record<string, string> = {
  'data-dir': 'storage.data_dir',
  storage: 'storage.backend',
  'log-level': 'log.level',
  'log-format': 'log.format',
  host: 'server.host',
  port: 'server.port',
  'public-url': 'server.public_url',
};

/** Flag values as dotted config overrides for loadConfig({ flags }). */
export function flagOverrides(flags: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(KEYS).map(([flag, key]) => [key, flags[flag] as string | undefined]));
}

/** The flag that sets a config key (`--data-dir` for storage.data_dir), if one does. */
export function flagNameOf(key: string): string | undefined {
  const flag = Object.entries(KEYS).find(([, k]) => k === key)?.[0];
  return flag && `--${flag}`;
}
