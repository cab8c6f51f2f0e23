// The configuration reference derived from the schema: every key, its environment variable,
// default and doc line. `nora config keys` prints it; the README's table is this, verbatim
// (test/unit/config/readme.test.ts fails when they differ).
import type { Field, Schema, TableList } from './field.js';
import { envName } from './env.js';
import { schema } from './schema.js';

export interface KeyReference {
  key: string;
  env: string | undefined;
  type: string;
  default: string;
  doc: string;
}

export function keyReference(node: Schema = schema, prefix: string[] = []): KeyReference[] {
  return Object.entries(node).flatMap(([name, child]): KeyReference[] => {
    const path = [...prefix, name];
    if ((child as Field<unknown>).kind === 'field') {
      const field = child as Field<unknown>;
      return [{ key: path.join('.'), env: field.fromEnv ? envName(path) : undefined, type: field.type, default: JSON.stringify(field.toToml(field.default)), doc: field.doc }];
    }
    if ((child as TableList<Schema>).kind === 'list') {
      const list = child as TableList<Schema>;
      return keyReference(list.item, [...prefix, `${name}[]`]).map((k) => ({ ...k, env: undefined }));
    }
    return keyReference(child as Schema, path);
  });
}

export function referenceMarkdown(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = keyReference().map((k) => `| \`${k.key}\` | ${k.env ? `\`${k.env}\`` : '—'} | \`${escape(k.default)}\` | ${escape(k.doc)} |`);
  return ['| key | environment variable | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
