// Cargo index lines as replication reads them (a remote's sparse index file, or this store's
// version metadata), and the publish metadata `cargo publish` would send for one: the index
// keeps a dependency's real name in `package` and new-syntax features in `features2`, the publish
// API wants `name` + `explicit_name_in_toml` and one feature table.
// https://doc.rust-lang.org/cargo/reference/registry-index.html, .../registry-web-api.html#publish
export interface IndexDep { name: string; req: string; features: string[]; optional: boolean; default_features: boolean; target: string | null; kind: string; registry?: string; package?: string }
export interface IndexLine { name: string; vers: string; deps: IndexDep[]; cksum?: string; features: Record<string, string[]>; features2?: Record<string, string[]>; links: string | null; rust_version?: string | null; yanked: boolean; description?: string | null }

/** The publish API's metadata JSON for `line`. */
export function publishMetadataOf(line: IndexLine, description: string | null): Record<string, unknown> {
  return {
    name: line.name,
    vers: line.vers,
    deps: line.deps.map((d) => ({
      name: d.package ?? d.name, version_req: d.req, features: d.features, optional: d.optional, default_features: d.default_features,
      target: d.target, kind: d.kind, ...(d.registry ? { registry: d.registry } : {}), ...(d.package ? { explicit_name_in_toml: d.name } : {}),
    })),
    features: { ...line.features, ...(line.features2 ?? {}) },
    authors: [], description, documentation: null, homepage: null, readme: null, readme_file: null,
    keywords: [], categories: [], license: null, license_file: null, repository: null, badges: {},
    links: line.links, rust_version: line.rust_version ?? null,
  };
}

/** The lines of an index file (one JSON object per line). */
export function parseIndexFile(text: string): IndexLine[] {
  return text.split('\n').filter((row) => row.trim()).map((row) => JSON.parse(row) as IndexLine);
}
