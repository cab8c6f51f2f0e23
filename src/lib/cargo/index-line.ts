// One line of a sparse index file per version, in the shape cargo reads
// (https://doc.rust-lang.org/cargo/reference/registry-index.html#json-schema): renamed
// dependencies carry the real name in `package`, features using `dep:` or `?/` syntax move to
// `features2` with `v: 2` so older cargo versions skip what they cannot read.
import type { PublishDependency } from './metadata.js';

export interface IndexDependency {
  /** The name the dependent uses (the rename, when renamed). */
  name: string;
  req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  target: string | null;
  kind: 'normal' | 'dev' | 'build';
  registry?: string;
  /** The real crate name of a renamed dependency. */
  package?: string;
}

export interface IndexVersion {
  vers: string;
  deps: IndexDependency[];
  cksum: string;
  features: Record<string, string[]>;
  yanked: boolean;
  links: string | null;
  rust_version: string | null;
}

/** The index form of a dependency as `cargo publish` describes it. */
export function toIndexDependency(dep: PublishDependency): IndexDependency {
  return {
    name: dep.rename ?? dep.name,
    req: dep.req,
    features: dep.features,
    optional: dep.optional,
    default_features: dep.default_features,
    target: dep.target,
    kind: dep.kind,
    ...(dep.registry !== undefined ? { registry: dep.registry } : {}),
    ...(dep.rename !== undefined ? { package: dep.name } : {}),
  };
}

const isNewSyntax = (values: string[]) => values.some((v) => v.startsWith('dep:') || v.includes('?/'));

/** Splits features into the classic table and `features2` (new syntax). */
export function splitFeatures(features: Record<string, string[]>): { features: Record<string, string[]>; features2?: Record<string, string[]> } {
  const classic: Record<string, string[]> = {};
  const modern: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(features)) (isNewSyntax(values) ? modern : classic)[name] = values;
  return Object.keys(modern).length > 0 ? { features: classic, features2: modern } : { features: classic };
}

/** One JSON line (without the newline) for `name`'s version `version`. */
export function renderIndexLine(name: string, version: IndexVersion): string {
  const { features, features2 } = splitFeatures(version.features);
  return JSON.stringify({
    name,
    vers: version.vers,
    deps: version.deps,
    cksum: version.cksum,
    features,
    yanked: version.yanked,
    links: version.links,
    ...(features2 ? { v: 2, features2 } : {}),
    ...(version.rust_version ? { rust_version: version.rust_version } : {}),
  });
}

/** A whole index file: one line per version, in publish order, each ending in a newline. */
export function renderIndexFile(name: string, versions: IndexVersion[]): string {
  return versions.map((v) => `${renderIndexLine(name, v)}\n`).join('');
}
