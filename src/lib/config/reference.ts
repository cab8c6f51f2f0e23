// The configuration reference derived from the schema: every key, its environment variable,
// default and doc line. `nora config keys` prints it; the README's table is this, verbatim
// (test/unit/config/readme.test.ts fails when they differ).
import type { Field, Moved, Schema, TableList } from './field.js';
import { envName } from './env.js';
import { schema } from './schema.js';

export interface KeyReference {
  key: string;
  env: string | undefined;
  type: string;
  default: string;
  doc: string;
  /** Set on an old key: the key that replaced it. */
  replacedBy?: string;
}

export function keyReference(node: Schema = schema, prefix: string[] = []): KeyReference[] {
  return Object.entries(node).flatMap(([name, child]): KeyReference[] => {
    const path = [...prefix, name];
    if ((child as Moved<unknown>).kind === 'moved') {
      const { field, to } = child as Moved<unknown>;
      const replacedBy = [...prefix, to].join('.');
      return [{ key: path.join('.'), env: field.fromEnv ? envName(path) : undefined, type: field.type, default: '', doc: `Replaced by \`${replacedBy}\`; still read, but not together with the new key.`, replacedBy }];
    }
    if ((child as Field<unknown>).kind === 'field') {
      const field = child as Field<unknown>;
      return [{ key: path.join('.'), env: field.fromEnv ? envName(path) : undefined, type: field.type, default: JSON.stringify(field.toToml(field.default)), doc: field.doc }];
    }
    if ((child as TableList<Schema>).kind === 'list') {
      const list = child as TableList<Schema>;
      const items = keyReference(list.item, [...prefix, `${name}[]`]).map((k) => ({ ...k, env: undefined }));
      // A list that is not empty by default shows its default tables in a row of its own.
      if (list.defaults.length === 0) return items;
      const tables = list.defaults.map((t) => `{ ${Object.entries(t).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')} }`).join(', ');
      return [{ key: path.join('.'), env: undefined, type: 'table[]', default: `[${tables}]`, doc: list.doc }, ...items];
    }
    return keyReference(child as Schema, path);
  });
}

export function referenceMarkdown(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = keyReference().map((k) => `| \`${k.key}\` | ${k.env ? `\`${k.env}\`` : '—'} | ${k.replacedBy ? '—' : `\`${escape(k.default)}\``} | ${escape(k.doc)} |`);
  return ['| key | environment variable | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
