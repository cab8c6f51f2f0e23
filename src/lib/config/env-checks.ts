// What the environment does to a configuration beyond NORA_* values: a NORA_* variable that
// names no setting (a typo silently does nothing, so it is reported with the closest real name),
// and `*_env` settings (password_env, secret_env, ...) that name a variable which is not set, so
// the secret they promise is missing. Pure: the environment is passed in.
import { envName } from './env.js';
import { forEachField } from './resolve.js';
import { schema } from './schema.js';
import { closest } from './suggest.js';

/** NORA_* variables read by commands rather than the schema (client settings, tooling). */
export const NON_CONFIG_ENV = ['NORA_CONFIG', 'NORA_URL', 'NORA_TOKEN', 'NORA_ID_TOKEN', 'NORA_BIN', 'NORA_ALLOW_SKIP', 'NORA_UPDATE_README'];

let known: Map<string, string> | undefined;
/** Every NORA_* name a setting answers to, with its dotted key. */
function knownEnv(): Map<string, string> {
  if (!known) {
    known = new Map();
    forEachField(schema, (keyPath) => known!.set(envName(keyPath), keyPath.join('.')));
  }
  return known;
}

/** One warning per NORA_* variable that is no setting, naming the closest real one when there is one. */
export function unknownEnvWarnings(env: NodeJS.ProcessEnv): string[] {
  const names = knownEnv();
  const candidates = [...names.keys(), ...NON_CONFIG_ENV];
  return Object.keys(env)
    .filter((name) => name.startsWith('NORA_') && !names.has(name) && !NON_CONFIG_ENV.includes(name))
    .sort()
    .map((name) => {
      const guess = closest(name, candidates);
      const setting = guess && names.get(guess);
      return `environment variable ${name} is not a NORA setting and is ignored${guess ? `; did you mean ${guess}${setting ? ` (${setting})` : ''}?` : ''}`;
    });
}

export interface UnsetReference {
  /** Dotted key with list indices, e.g. "npm.upstreams.0.password_env". */
  key: string;
  variable: string;
}

/** Every non-empty `*_env` setting whose variable is not set in `env`. */
export function unsetEnvReferences(config: unknown, env: NodeJS.ProcessEnv, prefix: string[] = []): UnsetReference[] {
  if (Array.isArray(config)) return config.flatMap((item, i) => unsetEnvReferences(item, env, [...prefix, String(i)]));
  if (typeof config !== 'object' || config === null) return [];
  return Object.entries(config).flatMap(([key, value]) => {
    if (key.endsWith('_env') && typeof value === 'string') return value !== '' && env[value] === undefined ? [{ key: [...prefix, key].join('.'), variable: value }] : [];
    return unsetEnvReferences(value, env, [...prefix, key]);
  });
}
