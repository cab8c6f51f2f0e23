// Loads the effective configuration: defaults < nora.toml < NORA_* environment < command flags.
// The file is `--config`, else $NORA_CONFIG, else ./nora.toml when present, else none (zero config).
// Every problem stops the load with a ConfigError naming the key and where its value came from.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { envName } from './env.js';
import { locateKey } from './locate.js';
import { forEachField, isMoved, nodeAt, resolveTable, type MovedValue, type ResolveContext } from './resolve.js';
import { schema, type NoraConfig } from './schema.js';
import { checkConsistency } from './consistency.js';
import { applyMoved } from './moved.js';
import { unknownEnvWarnings, unsetEnvReferences } from './env-checks.js';

export interface LoadOptions {
  /** --config: must exist when given. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Command flags as dotted keys, e.g. { 'server.port': '8080' }; strings are coerced like env values. */
  flags?: Record<string, string | number | boolean | undefined>;
  cwd?: string;
  /**
   * Treat a `*_env` setting whose variable is not set as a problem (serve, config check: the
   * secret it promises is missing). Other commands do not read those secrets.
   */
  requireEnvReferences?: boolean;
}

export interface LoadedConfig {
  config: NoraConfig;
  /** The file that was read, if any. */
  file?: string;
  /**
   * Where a key's value came from, for messages: "command-line flag", "environment variable
   * NORA_X", "nora.toml:12", or "default".
   */
  origin(key: string): string;
  /** Things that do not stop the load but are probably mistakes (a misspelled NORA_* variable). */
  warnings: string[];
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = findConfigFile(options.configPath, env, cwd);
  const problems: ConfigProblem[] = [];
  const doc = file ? readToml(file, cwd) : { source: '', value: {} };
  const label = file ? path.relative(cwd, file) || file : undefined;
  const moved = new Map<string, MovedValue>();
  const givenLists = new Set<string>();
  const ctx: ResolveContext = {
    problems,
    origin: (keyPath) => label && `${label}${lineSuffix(doc.source, keyPath)}`,
    moved,
    givenLists,
  };
  const config = resolveTable(schema, doc.value, [], ctx) as NoraConfig;
  // A moved key's value waits for moved.ts; any other key is set where it stands.
  const origins = new Map<string, string>();
  const set = (keyPath: string[], value: unknown, origin: string, isMovedKey: boolean) => {
    origins.set(keyPath.join('.'), origin);
    if (isMovedKey) moved.set(keyPath.join('.'), { value, origin });
    else setAt(config, keyPath, value);
  };

  forEachField(schema, (keyPath, field, movedKey) => {
    const name = envName(keyPath);
    const text = env[name];
    if (text === undefined || !field.fromEnv) return;
    const result = field.fromEnv(text);
    if (result.ok) set(keyPath, result.value, `environment variable ${name}`, movedKey !== undefined);
    else problems.push({ key: keyPath.join('.'), message: result.problem, origin: `environment variable ${name}` });
  });

  for (const [dotted, raw] of Object.entries(options.flags ?? {})) {
    if (raw === undefined) continue;
    const keyPath = dotted.split('.');
    const node = nodeAt(schema, keyPath);
    const field = node && isMoved(node) ? node.field : node?.kind === 'field' ? node : undefined;
    if (!field) throw new Error(`flag mapped to unknown config key ${dotted}`);
    const result = typeof raw === 'string' && field.fromEnv ? field.fromEnv(raw) : field.fromToml(raw);
    if (result.ok) set(keyPath, result.value, 'command-line flag', node !== field);
    else problems.push({ key: dotted, message: result.problem, origin: 'command-line flag' });
  }

  problems.push(...applyMoved(schema, config, moved, givenLists, ctx));
  if (problems.length === 0) problems.push(...checkConsistency(config, (keyPath) => label && `${label}${lineSuffix(doc.source, keyPath)}`));
  const origin = (key: string) => {
    const given = origins.get(key);
    if (given) return given;
    const keyPath = key.split('.');
    if (label && valueAt(doc.value, keyPath) !== undefined) return `${label}${lineSuffix(doc.source, keyPath)}`;
    return 'default';
  };
  if (options.requireEnvReferences && problems.length === 0) {
    for (const unset of unsetEnvReferences(config, env)) {
      problems.push({ key: unset.key.replace(/\.(\d+)(?=\.|$)/g, '[$1]'), message: `names the environment variable ${unset.variable}, which is not set`, origin: origin(unset.key) });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const warnings = unknownEnvWarnings(env);
  return file ? { config, file, origin, warnings } : { config, origin, warnings };
}

function valueAt(doc: Record<string, unknown>, keyPath: string[]): unknown {
  let node: unknown = doc;
  for (const key of keyPath) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function findConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const given = explicit ?? env.NORA_CONFIG;
  if (given) {
    const resolved = path.resolve(cwd, given);
    if (!existsSync(resolved)) {
      const how = explicit ? '--config' : 'NORA_CONFIG';
      throw new ConfigError([{ key: '', message: `config file not found: ${resolved} (given by ${how})` }]);
    }
    return resolved;
  }
  const local = path.join(cwd, 'nora.toml');
  return existsSync(local) ? local : undefined;
}

function readToml(file: string, cwd: string): { source: string; value: Record<string, unknown> } {
  const label = path.relative(cwd, file) || file;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ key: '', message: `cannot read config file: ${(error as Error).message}`, origin: label }]);
  }
  try {
    return { source, value: parse(source) };
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      throw new ConfigError([{ key: '', message: `invalid TOML: ${first}`, origin: `${label}:${error.line}` }]);
    }
    throw error;
  }
}

function lineSuffix(source: string, keyPath: string[]): string {
  const line = locateKey(source, keyPath);
  return line ? `:${line}` : '';
}

function setAt(target: Record<string, unknown>, keyPath: string[], value: unknown): void {
  let node = target;
  for (const key of keyPath.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keyPath[keyPath.length - 1]!] = value;
}
