// Repository names, tags and references as the distribution spec defines them, validated before
// any storage key is built from them.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
import { parseDigest, type Digest } from '../blobs/digest.js';
import { OciErrors } from './errors.js';

const NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Any well-formed digest, including algorithms NORA does not store (they get DIGEST_INVALID). */
const DIGEST_SHAPE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** Longest name accepted: the storage keys built from it stay well under their limit. */
export const MAX_NAME_LENGTH = 255;

export const isValidName = (name: string): boolean => name.length <= MAX_NAME_LENGTH && NAME.test(name);
export const isValidTag = (tag: string): boolean => TAG.test(tag);

/** The name, or NAME_INVALID. */
export function checkName(name: string): string {
  if (!isValidName(name)) throw OciErrors.NAME_INVALID(name);
  return name;
}

/** A digest NORA can address (sha256/sha512), or DIGEST_INVALID. */
export function checkDigest(text: string): Digest {
  const digest = parseDigest(text);
  if (!digest) throw OciErrors.DIGEST_INVALID(`${JSON.stringify(text.slice(0, 200))} is not a sha256 or sha512 digest`);
  return digest;
}

export type Reference = { kind: 'tag'; tag: string } | { kind: 'digest'; digest: Digest; text: string };

/** A manifest reference: a digest when it contains ':', else a tag (TAG_INVALID when malformed). */
export function parseReference(text: string): Reference {
  if (text.includes(':')) {
    if (!DIGEST_SHAPE.test(text)) throw OciErrors.DIGEST_INVALID(`${JSON.stringify(text.slice(0, 200))} is not a digest`);
    return { kind: 'digest', digest: checkDigest(text), text };
  }
  if (!isValidTag(text)) throw OciErrors.TAG_INVALID(text);
  return { kind: 'tag', tag: text };
}

/**
 * The reference a pull names, or undefined when no manifest can be stored under it (a malformed
 * tag or digest): a pull answers that with 404 MANIFEST_UNKNOWN, the only status the spec lists
 * for pulling a manifest; PUT keeps TAG_INVALID / DIGEST_INVALID (parseReference).
 */
export function pullReference(text: string): Reference | undefined {
  if (text.includes(':')) {
    const digest = DIGEST_SHAPE.test(text) ? parseDigest(text) : undefined;
    return digest ? { kind: 'digest', digest, text } : undefined;
  }
  return isValidTag(text) ? { kind: 'tag', tag: text } : undefined;
}
