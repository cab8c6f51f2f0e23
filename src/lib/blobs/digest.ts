// Content digests as OCI writes them ("sha256:<hex>"), and where a digest's blob lives.
// Only sha256 and sha512 are accepted: the algorithms every client here can verify.
import { InvalidPath } from '../storage/errors.js';

export type DigestAlgorithm = 'sha256' | 'sha512';
export const DIGEST_LENGTHS: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

export interface Digest {
  algorithm: DigestAlgorithm;
  hex: string;
}

const PATTERN = /^(sha256|sha512):([a-f0-9]+)$/;

/** Parses "sha256:<64 lowercase hex>" (or sha512); undefined for anything else. */
export function parseDigest(text: string): Digest | undefined {
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const algorithm = match[1] as DigestAlgorithm;
  return match[2]!.length === DIGEST_LENGTHS[algorithm] ? { algorithm, hex: match[2]! } : undefined;
}

export const formatDigest = (digest: Digest): string => `${digest.algorithm}:${digest.hex}`;

/** Storage key of a blob: blobs/<algorithm>/<first two hex>/<hex>. */
export function blobKey(digest: Digest | string): string {
  const parsed = typeof digest === 'string' ? parseDigest(digest) : digest;
  if (!parsed) throw InvalidPath(typeof digest === 'string' ? digest : formatDigest(digest), 'not a sha256 or sha512 digest');
  return `blobs/${parsed.algorithm}/${parsed.hex.slice(0, 2)}/${parsed.hex}`;
}
