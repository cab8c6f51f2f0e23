// The JSON part of `cargo publish`, checked field by field into a typed value: name and version
// rules, dependency names, requirements and kinds, feature tables. Unknown fields are ignored,
// as cargo adds fields over time
// (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#publish).
import { quote } from '../errors/quote.js';
import { CargoErrors } from './errors.js';
import { assertCrateName, isLookupName } from './names.js';
import { isVersionReq, parseVersion } from './semver.js';

export type DependencyKind = 'normal' | 'dev' | 'build';

export interface PublishDependency {
  /** The crate's real name (the publish API's `name`). */
  name: string;
  /** The name used in Cargo.toml when the dependency is renamed. */
  rename?: string;
  req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  target: string | null;
  kind: DependencyKind;
  /** Index URL of another registry; absent for this registry. */
  registry?: string;
}

export interface PublishMetadata {
  name: string;
  vers: string;
  deps: PublishDependency[];
  features: Record<string, string[]>;
  links: string | null;
  rust_version: string | null;
  description: string | null;
  keywords: string[];
  license: string | null;
  repository: string | null;
}

type Json = Record<string, unknown>;
const bad = (why: string) => CargoErrors.INVALID_METADATA(why);
const MAX_TEXT = 64 * 1024;

function text(object: Json, key: string, where: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw bad(`${where}${key} must be a string`);
  if (value.length > MAX_TEXT) throw bad(`${where}${key} is longer than ${MAX_TEXT} characters`);
  return value;
}

function strings(object: Json, key: string, where: string): string[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length <= MAX_TEXT)) throw bad(`${where}${key} must be an array of strings`);
  return value as string[];
}

function flag(object: Json, key: string, where: string, fallback: boolean): boolean {
  const value = object[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw bad(`${where}${key} must be true or false`);
  return value;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function dependency(raw: unknown, index: number): PublishDependency {
  const where = `deps[${index}].`;
  if (!isObject(raw)) throw bad(`deps[${index}] must be an object`);
  const name = text(raw, 'name', where);
  if (!name || !isLookupName(name)) throw bad(`${where}name ${quote(name)} is not a crate name`);
  const rename = text(raw, 'explicit_name_in_toml', where);
  if (rename !== null && !isLookupName(rename)) throw bad(`${where}explicit_name_in_toml ${quote(rename)} is not a crate name`);
  const req = text(raw, 'version_req', where);
  if (!req || !isVersionReq(req)) throw bad(`${where}version_req ${quote(req)} of \`${name}\` is not a version requirement`);
  const kind = text(raw, 'kind', where) ?? 'normal';
  if (kind !== 'normal' && kind !== 'dev' && kind !== 'build') throw bad(`${where}kind must be "normal", "dev" or "build"`);
  const registry = text(raw, 'registry', where);
  return {
    name,
    ...(rename !== null && rename !== name ? { rename } : {}),
    req,
    features: strings(raw, 'features', where),
    optional: flag(raw, 'optional', where, false),
    default_features: flag(raw, 'default_features', where, true),
    target: text(raw, 'target', where),
    kind,
    ...(registry !== null ? { registry } : {}),
  };
}

function features(raw: unknown): Record<string, string[]> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw bad('features must be an object of arrays');
  for (const [feature, values] of Object.entries(raw)) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_+.-]*$/.test(feature)) throw bad(`feature name ${quote(feature)} is invalid`);
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw bad(`features.${feature} must be an array of strings`);
  }
  return raw as Record<string, string[]>;
}

/** Validates the parsed metadata; throws the precise INVALID_* error cargo will print. */
export function parsePublishMetadata(raw: unknown): PublishMetadata {
  if (!isObject(raw)) throw bad('expected a JSON object');
  const name = text(raw, 'name', '') ?? '';
  assertCrateName(name);
  const vers = text(raw, 'vers', '') ?? '';
  if (!parseVersion(vers)) throw CargoErrors.INVALID_VERSION(vers);
  if (raw.deps !== undefined && !Array.isArray(raw.deps)) throw bad('deps must be an array');
  const deps = ((raw.deps as unknown[] | undefined) ?? []).map(dependency);
  const rustVersion = text(raw, 'rust_version', '');
  if (rustVersion !== null && !/^\d+(\.\d+){0,2}$/.test(rustVersion)) throw bad(`rust_version ${quote(rustVersion)} is not a Rust version such as 1.70`);
  const links = text(raw, 'links', '');
  if (links !== null && !/^[A-Za-z0-9_+.-]{1,64}$/.test(links)) throw bad(`links ${quote(links)} is not a native library name`);
  return {
    name,
    vers,
    deps,
    features: features(raw.features),
    links,
    rust_version: rustVersion,
    description: text(raw, 'description', ''),
    keywords: strings(raw, 'keywords', ''),
    license: text(raw, 'license', ''),
    repository: text(raw, 'repository', ''),
  };
}
