// Field descriptors of the config schema: each knows its type, default, doc line and how to
// coerce a TOML value or an environment string into its typed value (or say why it cannot).
import { parseDuration, parseSize } from './units.js';

export type Coerced<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface Field<T> {
  readonly kind: 'field';
  readonly type: string;
  readonly default: T;
  readonly doc: string;
  /** Shown as *** by `nora config check` and never logged. */
  readonly secret: boolean;
  /** For a value that may hold a secret (a URL with a password): what `nora config check` shows. */
  redact?(value: T): T;
  /** Coerces a value read from TOML. */
  fromToml(value: unknown): Coerced<T>;
  /** Coerces a NORA_* environment variable; undefined when the field cannot be set that way. */
  fromEnv?: (text: string) => Coerced<T>;
  /** The value as `config check` prints it in TOML. */
  toToml(value: T): unknown;
}

export interface TableList<S extends Schema> {
  readonly kind: 'list';
  readonly item: S;
  readonly doc: string;
  /** The tables used when the key is not set, as TOML values resolved along `item`. */
  readonly defaults: ReadonlyArray<Record<string, unknown>>;
  /** The item key that names one table (an old scalar form of the list maps onto it). */
  readonly identity?: string;
}

/**
 * An old key that keeps working: its value is read (file, environment, flag) and applied to its
 * new key `to`, either a key of the same table ("metadata_ttl") or a key of every table of a list
 * of the same table ("upstreams[].url"). Setting it together with its new key stops the start.
 */
export interface Moved<T> {
  readonly kind: 'moved';
  readonly field: Field<T>;
  readonly to: string;
}

export interface Schema {
  readonly [key: string]: Field<unknown> | Schema | TableList<Schema> | Moved<unknown>;
}

const ok = <T>(value: T): Coerced<T> => ({ ok: true, value });
const bad = (problem: string): Coerced<never> => ({ ok: false, problem });
const describe = (value: unknown) => (Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'a table' : `${typeof value} ${JSON.stringify(value)}`);

interface Options<T> { doc: string; secret?: boolean; redact?: (value: T) => T; check?: (value: T) => string | undefined }

function make<T>(type: string, fallback: T, opts: Options<T>, coerce: (value: unknown) => Coerced<T>,
  fromEnv: ((text: string) => Coerced<T>) | undefined, toToml: (value: T) => unknown = (v) => v): Field<T> {
  const checked = (result: Coerced<T>): Coerced<T> => {
    if (!result.ok || !opts.check) return result;
    const problem = opts.check(result.value);
    return problem ? bad(problem) : result;
  };
  return {
    kind: 'field', type, default: fallback, doc: opts.doc, secret: opts.secret ?? false, ...(opts.redact ? { redact: opts.redact } : {}),
    fromToml: (value) => checked(coerce(value)),
    fromEnv: fromEnv && ((text) => checked(fromEnv(text))),
    toToml,
  };
}

export function string(fallback: string, opts: Options<string>): Field<string> {
  const coerce = (v: unknown) => (typeof v === 'string' ? ok(v) : bad(`expected a string, got ${describe(v)}`));
  return make('string', fallback, opts, coerce, (text) => ok(text));
}

export function boolean(fallback: boolean, opts: Options<boolean>): Field<boolean> {
  const coerce = (v: unknown) => (typeof v === 'boolean' ? ok(v) : bad(`expected true or false, got ${describe(v)}`));
  const fromEnv = (text: string) => {
    const t = text.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(t)) return ok(true);
    if (['0', 'false', 'no', 'off'].includes(t)) return ok(false);
    return bad(`expected true or false, got ${JSON.stringify(text)}`);
  };
  return make('boolean', fallback, opts, coerce, fromEnv);
}

export function integer(fallback: number, opts: Options<number> & { min?: number; max?: number }): Field<number> {
  const range = (n: number): Coerced<number> => {
    if (opts.min !== undefined && n < opts.min) return bad(`must be at least ${opts.min}, got ${n}`);
    if (opts.max !== undefined && n > opts.max) return bad(`must be at most ${opts.max}, got ${n}`);
    return ok(n);
  };
  const coerce = (v: unknown) => {
    const n = typeof v === 'bigint' ? Number(v) : v;
    return typeof n === 'number' && Number.isSafeInteger(n) ? range(n) : bad(`expected an integer, got ${describe(v)}`);
  };
  const fromEnv = (text: string) => (/^-?\d+$/.test(text.trim()) ? range(Number(text)) : bad(`expected an integer, got ${JSON.stringify(text)}`));
  return make(`integer`, fallback, opts, coerce, fromEnv);
}

/** A fraction between 0 and 1 (a sampling ratio). */
export function ratio(fallback: number, opts: Options<number>): Field<number> {
  const range = (n: number): Coerced<number> => (n >= 0 && n <= 1 ? ok(n) : bad(`expected a number from 0 to 1, got ${n}`));
  const coerce = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? range(v) : bad(`expected a number from 0 to 1, got ${describe(v)}`));
  const fromEnv = (text: string) => (/^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? range(Number(text)) : bad(`expected a number from 0 to 1, got ${JSON.stringify(text)}`));
  return make('number', fallback, opts, coerce, fromEnv);
}

/** A duration in milliseconds, written "30s", "5m", "1h" (or plain milliseconds). */
export function duration(fallback: string, opts: Options<number>): Field<number> {
  const parse = (v: unknown) => {
    const ms = typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : undefined;
    return ms === undefined ? bad(`expected a duration such as "30s", "5m" or "1h", got ${describe(v)}`) : ok(ms);
  };
  return make('duration', parse(fallback).ok ? parseDuration(fallback)! : 0, opts, parse, parse, formatDuration);
}

/** A byte size, written "4MiB", "200MB" (or plain bytes). */
export function size(fallback: string, opts: Options<number>): Field<number> {
  const parse = (v: unknown) => {
    const bytes = typeof v === 'string' || typeof v === 'number' ? parseSize(v) : undefined;
    return bytes === undefined ? bad(`expected a size such as "4MiB" or "200MB", got ${describe(v)}`) : ok(bytes);
  };
  return make('size', parseSize(fallback) ?? 0, opts, parse, parse, formatSize);
}

export function oneOf<const V extends string>(values: readonly V[], fallback: V, opts: Options<V>): Field<V> {
  const coerce = (v: unknown) => (typeof v === 'string' && (values as readonly string[]).includes(v)
    ? ok(v as V) : bad(`expected one of ${values.map((x) => `"${x}"`).join(', ')}, got ${describe(v)}`));
  return make(values.map((x) => `"${x}"`).join(' | '), fallback, opts, coerce, coerce);
}

/** A list of strings; from the environment, comma-separated. */
export function strings(fallback: string[], opts: Options<string[]>): Field<string[]> {
  const coerce = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string')
    ? ok(v) : bad(`expected an array of strings, got ${describe(v)}`));
  const fromEnv = (text: string) => ok(text.split(',').map((s) => s.trim()).filter(Boolean));
  return make('string[]', fallback, opts, coerce, fromEnv);
}

/** A list of integers; from the environment, comma-separated. */
export function integers(fallback: number[], opts: Options<number[]>): Field<number[]> {
  const coerce = (v: unknown) => {
    const list = Array.isArray(v) ? v.map((x) => (typeof x === 'bigint' ? Number(x) : x)) : undefined;
    return list && list.every((x) => typeof x === 'number' && Number.isSafeInteger(x)) ? ok(list as number[]) : bad(`expected an array of integers, got ${describe(v)}`);
  };
  const fromEnv = (text: string) => {
    const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
    return parts.every((p) => /^-?\d+$/.test(p)) ? ok(parts.map(Number)) : bad(`expected comma-separated integers, got ${JSON.stringify(text)}`);
  };
  return make('integer[]', fallback, opts, coerce, fromEnv);
}

/** A table of string keys to string values or string lists (e.g. `[auth.groups]`, an OIDC `match`); no env form. */
export function table<V extends string | string[]>(valueKind: V extends string[] ? 'strings' : 'string', opts: Options<Record<string, V>>): Field<Record<string, V>> {
  const good = (x: unknown) => (valueKind === 'string' ? typeof x === 'string' : Array.isArray(x) && x.every((y) => typeof y === 'string'));
  const coerce = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && Object.values(v).every(good)
    ? ok(v as Record<string, V>) : bad(`expected a table of ${valueKind === 'string' ? 'strings' : 'string arrays'}, got ${describe(v)}`));
  return make(`table of ${valueKind === 'string' ? 'string' : 'string[]'}`, {}, opts, coerce, undefined);
}

export function list<S extends Schema>(item: S, doc: string, options: { defaults?: Array<Record<string, unknown>>; identity?: string } = {}): TableList<S> {
  return { kind: 'list', item, doc, defaults: options.defaults ?? [], ...(options.identity ? { identity: options.identity } : {}) };
}

export function moved<T>(field: Field<T>, to: string): Moved<T> {
  return { kind: 'moved', field, to };
}

function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** The typed value a schema describes (moved keys live on under their new names only). */
export type Infer<S> = S extends Field<infer T> ? T
  : S extends TableList<infer I> ? Array<Infer<I>>
  : S extends Schema ? { -readonly [K in keyof S as S[K] extends Moved<unknown> ? never : K]: Infer<S[K]> }
  : never;
