// Turns a parsed TOML document into typed values along the schema: defaults for what is
// missing, a problem for every unknown key, wrong type or bad value (all reported at once).
import type { Field, Schema, TableList } from './field.js';
import type { ConfigProblem } from './config-error.js';
import { closest } from './suggest.js';

type Node = Field<unknown> | Schema | TableList<Schema>;

export interface ResolveContext {
  problems: ConfigProblem[];
  /** Where a key came from, e.g. "nora.toml:12". */
  origin(path: string[]): string | undefined;
}

const isField = (node: Node): node is Field<unknown> => (node as Field<unknown>).kind === 'field';
const isList = (node: Node): node is TableList<Schema> => (node as TableList<Schema>).kind === 'list';
const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** All dotted key names of a schema, lists shown as `name[].key`. */
export function schemaKeys(schema: Schema, prefix: string[] = []): string[] {
  return Object.entries(schema).flatMap(([key, node]) => {
    const path = [...prefix, key];
    if (isField(node)) return [path.join('.')];
    if (isList(node)) return schemaKeys(node.item, [...prefix, `${key}[]`]);
    return schemaKeys(node, path);
  });
}

export function resolveTable(schema: Schema, doc: Record<string, unknown>, path: string[], ctx: ResolveContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) {
    if (!(key in schema)) {
      const here = [...path, key];
      const known = Object.keys(schema).map((k) => [...path, k].join('.'));
      const guess = closest(here.join('.'), known);
      ctx.problems.push({ key: here.join('.'), message: `unknown key${guess ? `; did you mean "${guess}"?` : ` (known keys here: ${known.join(', ')})`}`, origin: ctx.origin(here) });
    }
  }
  for (const [key, node] of Object.entries(schema)) {
    const here = [...path, key];
    const value = doc[key];
    if (isField(node)) {
      if (value === undefined) { out[key] = node.default; continue; }
      const result = node.fromToml(value);
      if (result.ok) out[key] = result.value;
      else { ctx.problems.push({ key: here.join('.'), message: result.problem, origin: ctx.origin(here) }); out[key] = node.default; }
    } else if (isList(node)) {
      if (value === undefined) { out[key] = []; continue; }
      if (!Array.isArray(value) || !value.every(isTable)) {
        ctx.problems.push({ key: here.join('.'), message: `expected an array of tables ([[${here.join('.')}]])`, origin: ctx.origin(here) });
        out[key] = [];
        continue;
      }
      out[key] = value.map((item, i) => resolveTable(node.item, item, [...here, String(i)], ctx));
    } else {
      if (value !== undefined && !isTable(value)) {
        ctx.problems.push({ key: here.join('.'), message: `expected a table ([${here.join('.')}])`, origin: ctx.origin(here) });
      }
      out[key] = resolveTable(node, isTable(value) ? value : {}, here, ctx);
    }
  }
  return out;
}

/** Visits every scalar field of a schema with its path (lists are skipped: they have no env form). */
export function forEachField(schema: Schema, visit: (path: string[], field: Field<unknown>) => void, prefix: string[] = []): void {
  for (const [key, node] of Object.entries(schema)) {
    if (isField(node)) visit([...prefix, key], node);
    else if (!isList(node)) forEachField(node, visit, [...prefix, key]);
  }
}

export function fieldAt(schema: Schema, path: string[]): Field<unknown> | undefined {
  let node: Node | undefined = schema;
  for (const key of path) {
    if (!node || isField(node) || isList(node)) return undefined;
    node = (node)[key];
  }
  return node && isField(node) ? node : undefined;
}
