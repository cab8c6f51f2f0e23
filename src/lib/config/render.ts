// The effective configuration as `nora config check` prints it: TOML in the file's own units
// ("30s", "4MiB") or JSON, with every secret replaced by "***" (and empty secrets left empty),
// and the password of a URL that carries one too.
import { stringify } from 'smol-toml';
import type { Field, Moved, Schema, TableList } from './field.js';
import { schema, type NoraConfig } from './schema.js';

type Node = Field<unknown> | Schema | TableList<Schema> | Moved<unknown>;

function present(node: Node, value: unknown): unknown {
  if ((node as Field<unknown>).kind === 'field') {
    const field = node as Field<unknown>;
    if (field.secret && value !== '' && value !== undefined) return '***';
    return field.toToml(field.redact ? field.redact(value) : value);
  }
  if ((node as TableList<Schema>).kind === 'list') {
    return (value as unknown[]).map((item) => present((node as TableList<Schema>).item, item));
  }
  // Moved keys are not in the effective configuration: their values live under the new keys.
  return Object.fromEntries(Object.entries(node as Schema).filter(([, child]) => (child as Moved<unknown>).kind !== 'moved')
    .map(([k, child]) => [k, present(child, (value as Record<string, unknown>)[k])]));
}

/** The configuration with secrets masked, in config-file units. */
export function maskedConfig(config: NoraConfig): Record<string, unknown> {
  return present(schema, config) as Record<string, unknown>;
}

export function renderToml(config: NoraConfig): string {
  return stringify(maskedConfig(config));
}

export function renderJson(config: NoraConfig): string {
  return JSON.stringify(maskedConfig(config), null, 2);
}
