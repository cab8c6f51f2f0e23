// Cargo's error catalog. Every code is rendered as `{"errors":[{"detail": message}]}`, which
// cargo prints to the user (https://doc.rust-lang.org/cargo/reference/registry-web-api.html).
import { defineError } from '../errors/catalog.js';

export const CargoErrors = {
  INVALID_CRATE_NAME: defineError('INVALID_CRATE_NAME', 400, 'A crate name breaks the crates.io naming rules or is reserved.',
    (name: string, why: string) => `invalid crate name ${JSON.stringify(name)}: ${why}`),
  INVALID_VERSION: defineError('INVALID_VERSION', 400, 'A version is not a semantic version (MAJOR.MINOR.PATCH).',
    (version: string) => `invalid version ${JSON.stringify(version)}: expected a semantic version such as 1.2.3`),
  INVALID_METADATA: defineError('INVALID_METADATA', 400, 'The publish metadata JSON is malformed or has a bad field.',
    (why: string) => `invalid publish metadata: ${why}`),
  INVALID_FRAME: defineError('INVALID_FRAME', 400, 'The publish body does not follow the length-prefixed frame cargo sends.',
    (why: string) => `invalid publish request body: ${why}`),
  CRATE_EXISTS: defineError('CRATE_EXISTS', 400, 'That crate version is already published (yanked versions count too).',
    (name: string, version: string) => `crate version \`${name}@${version}\` already exists in this registry`),
  CRATE_RENAMED: defineError('CRATE_RENAMED', 400, 'A crate of the same name in another spelling (case, - or _) exists.',
    (name: string, existing: string) => `crate \`${name}\` conflicts with the existing crate \`${existing}\` (names differing only in case, - or _ are the same crate)`),
  UNKNOWN_DEPENDENCY: defineError('UNKNOWN_DEPENDENCY', 400, 'A dependency on this registry names a crate that is not published here.',
    (name: string) => `no known crate named \`${name}\` in this registry (dependencies on other registries need their \`registry\` key)`),
  CRATE_NOT_FOUND: defineError('CRATE_NOT_FOUND', 404, 'No crate of that name is published.',
    (name: string) => `crate \`${name}\` does not exist`),
  VERSION_NOT_FOUND: defineError('VERSION_NOT_FOUND', 404, 'The crate has no such version.',
    (name: string, version: string) => `crate \`${name}\` has no version \`${version}\``),
  OWNER_LAST: defineError('OWNER_LAST', 400, 'Removing the owners would leave the crate without any.',
    (name: string) => `cannot remove every owner of crate \`${name}\``),
  UPSTREAM_DISABLED: defineError('UPSTREAM_DISABLED', 404, 'The crates.io cache is off ([[cargo.upstreams]] is empty).',
    () => 'the crates.io cache is disabled on this server ([[cargo.upstreams]] is empty)'),
} as const;
