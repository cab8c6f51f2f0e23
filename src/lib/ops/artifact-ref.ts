// Artifact references the CLI and /api/ accept, one grammar for every format:
//   oci:<repo>:<tag>, oci:<repo>@<digest>, or without "oci:" when unambiguous: <repo>:<tag>
//   npm:<name>@<version> (scoped: npm:@scope/pkg@1.0.0), cargo:<crate>@<version>,
//   pypi:<project>@<version>, maven:<groupId>:<artifactId>@<version>
// A text that could name two things is refused as ambiguous (AMBIGUOUS_REFERENCE): "npm:1.0"
// could be repository "npm", tag "1.0" (write oci:npm:1.0), and "left-pad@1.0.0" could be a
// version in any package format (write npm:left-pad@1.0.0).
import { OpsErrors } from './errors.js';
import type { FormatName } from './formats.js';

export type ArtifactRef =
  | { type: 'oci'; name: string; reference: string }
  | { type: Exclude<FormatName, 'oci'>; name: string; version: string };

const OCI_NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
const PACKAGE_TYPES = ['npm', 'maven', 'cargo', 'pypi'] as const;

function asOci(text: string): ArtifactRef | undefined {
  const at = text.indexOf('@');
  if (at >= 0) {
    const [name, digest] = [text.slice(0, at), text.slice(at + 1)];
    return OCI_NAME.test(name) && DIGEST.test(digest) ? { type: 'oci', name, reference: digest } : undefined;
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0) return undefined;
  const [name, tag] = [text.slice(0, colon), text.slice(colon + 1)];
  return OCI_NAME.test(name) && TAG.test(tag) ? { type: 'oci', name, reference: tag } : undefined;
}

function asPackage(text: string): ArtifactRef | undefined {
  const colon = text.indexOf(':');
  const type = text.slice(0, colon) as (typeof PACKAGE_TYPES)[number];
  if (colon < 0 || !PACKAGE_TYPES.includes(type)) return undefined;
  const rest = text.slice(colon + 1);
  const at = rest.lastIndexOf('@');
  if (at <= 0 || at === rest.length - 1) return undefined;
  const [name, version] = [rest.slice(0, at), rest.slice(at + 1)];
  if (/[\s/]/.test(version) || (type === 'maven' && !/^[^:]+:[^:]+$/.test(name))) return undefined;
  return { type, name, version };
}

const describe = (ref: ArtifactRef) => (ref.type === 'oci' ? `the image ${ref.name} (${ref.reference})` : `the ${ref.type} package ${ref.name} version ${ref.version}`);

/** Parses a reference; BAD_REFERENCE when it fits no format, AMBIGUOUS_REFERENCE when it fits two. */
export function parseArtifactRef(text: string): ArtifactRef {
  if (text.startsWith('oci:')) {
    const ref = asOci(text.slice(4));
    if (!ref) throw OpsErrors.BAD_REFERENCE(text, 'expected oci:<repository>:<tag> or oci:<repository>@<digest>');
    return ref;
  }
  const oci = asOci(text);
  const pkg = asPackage(text);
  const typed = PACKAGE_TYPES.some((type) => text.startsWith(`${type}:`));
  if (typed && oci) throw OpsErrors.AMBIGUOUS_REFERENCE(text, [describe(oci), `a ${text.split(':', 1)[0]} package`]);
  if (pkg) return pkg;
  if (oci) return oci;
  // "left-pad@1.0.0" names a version of some package, but of which format?
  const bare = !typed && /^(@?[^@\s:]+)@([^@\s:]+)$/.test(text);
  if (bare) throw OpsErrors.AMBIGUOUS_REFERENCE(text, PACKAGE_TYPES.map((type) => `${type}:${text}`));
  throw OpsErrors.BAD_REFERENCE(text, 'expected <repository>:<tag>, <repository>@<digest>, or <type>:<name>@<version> (npm, maven, cargo, pypi)');
}

export const formatRef = (ref: ArtifactRef): string => (ref.type === 'oci'
  ? `oci:${ref.name}${ref.reference.includes(':') ? '@' : ':'}${ref.reference}`
  : `${ref.type}:${ref.name}@${ref.version}`);
