// Builds `cargo publish` bodies (u32le JSON length, JSON, u32le .crate length, .crate) for HTTP
// tests, with metadata shaped as cargo 1.95 sends it.
import { crateTarball } from './crate-tarball.js';

export interface DepSpec { name: string; version_req?: string; kind?: string; registry?: string; explicit_name_in_toml?: string; optional?: boolean; features?: string[]; target?: string | null }

export function publishMetadata(name: string, vers: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name, vers, deps: [], features: {}, authors: ['NORA tests'], description: `${name} for tests`, documentation: null, homepage: null,
    readme: null, readme_file: null, keywords: [], categories: [], license: 'MIT', license_file: null, repository: null, badges: {},
    links: null, rust_version: null, ...extra,
  };
}

export function dep(spec: DepSpec): Record<string, unknown> {
  return { optional: false, default_features: true, features: [], version_req: '^0.1.0', target: null, kind: 'normal', ...spec };
}

/** A small valid .crate (a distinct one on every call). */
export function fakeCrate(name: string, vers: string): Buffer {
  return crateTarball(name, vers, {
    'Cargo.toml': `[package]\nname = "${name}"\nversion = "${vers}"\nedition = "2021"\n`,
    'src/lib.rs': `// ${Math.random()}\n`,
  });
}

export function frame(metadata: unknown, crate: Buffer): Buffer {
  const json = Buffer.from(typeof metadata === 'string' ? metadata : JSON.stringify(metadata));
  const jsonLength = Buffer.alloc(4);
  jsonLength.writeUInt32LE(json.length);
  const crateLength = Buffer.alloc(4);
  crateLength.writeUInt32LE(crate.length);
  return Buffer.concat([jsonLength, json, crateLength, crate]);
}
