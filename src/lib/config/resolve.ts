// Turns a parsed TOML document into typed values along the schema: defaults for what is
// missing, a problem for every unknown key, wrong type or bad value (all reported at once).
import type { Field, Moved, Schema, TableList } from './field.js';
import type { ConfigProblem } from './config-error.js';
import { closest } from './suggest.js';

type Node = Field<unknown> | Schema | TableList<Schema> | Moved<unknown>;

/** A value given under a moved key that points into a list, waiting for every source to be read. */
export interface MovedValue {
  value: unknown;
  origin: string | undefined;
}

export interface ResolveContext {
  problems: ConfigProblem[];
  /** Where a key came from, e.g. "nora.toml:12". */
  origin(path: string[]): string | undefined;
  /** Values of moved keys that point into lists, by dotted old key (see moved.ts). */
  moved?: Map<string, MovedValue>;
  /** Dotted keys of the lists the file sets itself. */
  givenLists?: Set<string>;
}

const isField = (node: Node): node is Field<unknown> => (node as Field<unknown>).kind === 'field';
const isList = (node: Node): node is TableList<Schema> => (node as TableList<Schema>).kind === 'list';
export const isMoved = (node: Node): node is Moved<unknown> => (node as Moved<unknown>).kind === 'moved';
const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** All dotted key names of a schema, lists shown as `name[].key`. */
export function schemaKeys(schema: Schema, prefix: string[] = []): string[] {
  return Object.entries(schema).flatMap(([key, node]) => {
    const path = [...prefix, key];
    if (isField(node) || isMoved(node)) return [path.join('.')];
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
    if (isMoved(node)) continue;
    if (isField(node)) {
      if (value === undefined) { out[key] = node.default; continue; }
      const result = node.fromToml(value);
      if (result.ok) out[key] = result.value;
      else { ctx.problems.push({ key: here.join('.'), message: result.problem, origin: ctx.origin(here) }); out[key] = node.default; }
    } else if (isList(node)) {
      if (value === undefined) { out[key] = node.defaults.map((item, i) => resolveTable(node.item, item, [...here, String(i)], ctx)); continue; }
      ctx.givenLists?.add(here.join('.'));
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
  for (const [key, node] of Object.entries(schema)) {
    if (isMoved(node) && doc[key] !== undefined) resolveMoved(node, doc, [...path, key], out, ctx);
  }
  return out;
}

/** A moved key read from the file: renamed in place, or kept for moved.ts when it targets a list. */
function resolveMoved(node: Moved<unknown>, doc: Record<string, unknown>, here: string[], out: Record<string, unknown>, ctx: ResolveContext): void {
  const result = node.field.fromToml(doc[here.at(-1)!]);
  if (!result.ok) { ctx.problems.push({ key: here.join('.'), message: result.problem, origin: ctx.origin(here) }); return; }
  if (node.to.includes('[].')) { ctx.moved?.set(here.join('.'), { value: result.value, origin: ctx.origin(here) }); return; }
  if (doc[node.to] !== undefined) {
    ctx.problems.push({ key: here.join('.'), message: `the old name of "${node.to}"; set only "${node.to}"`, origin: ctx.origin(here) });
    return;
  }
  out[node.to] = result.value;
}

/**
 * Visits every scalar field of a schema with its path, and every moved key outside lists (its
 * old environment variable keeps working). Lists are skipped: they have no env form.
 */
export function forEachField(schema: Schema, visit: (path: string[], field: Field<unknown>, moved?: Moved<unknown>) => void, prefix: string[] = []): void {
  for (const [key, node] of Object.entries(schema)) {
    if (isField(node)) visit([...prefix, key], node);
    else if (isMoved(node)) visit([...prefix, key], node.field, node);
    else if (!isList(node)) forEachField(node, visit, [...prefix, key]);
  }
}

/** The node at a path of tables (not inside lists). */
export function nodeAt(schema: Schema, path: string[]): Node | undefined {
  let node: Node | undefined = schema;
  for (const key of path) {
    if (!node || isField(node) || isList(node) || isMoved(node)) return undefined;
    node = (node)[key];
  }
  return node;
}

export function fieldAt(schema: Schema, path: string[]): Field<unknown> | undefined {
  const node = nodeAt(schema, path);
  return node && isField(node) ? node : undefined;
}
