// Subresource-integrity strings ("sha512-<base64>") and npm shasums (sha1 hex), as npm declares
// them in `dist`. Only sha512 integrity is trusted for verification; sha1 is checked alongside.
export interface Sha512Integrity {
  algorithm: 'sha512';
  hex: string;
}

/** The sha512 entry of an SRI string (several entries may be space-separated); undefined if none. */
export function parseIntegrity(text: unknown): Sha512Integrity | undefined {
  if (typeof text !== 'string') return undefined;
  for (const entry of text.trim().split(/\s+/)) {
    const match = /^sha512-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(entry);
    if (!match) continue;
    const bytes = Buffer.from(match[1]!, 'base64');
    if (bytes.length === 64) return { algorithm: 'sha512', hex: bytes.toString('hex') };
  }
  return undefined;
}

/** "sha512-<base64>" of a hex sha512 digest. */
export const formatIntegrity = (hex: string): string => `sha512-${Buffer.from(hex, 'hex').toString('base64')}`;

/** A lower-case sha1 hex shasum, or undefined when the text is not one. */
export function parseShasum(text: unknown): string | undefined {
  return typeof text === 'string' && /^[a-fA-F0-9]{40}$/.test(text) ? text.toLowerCase() : undefined;
}
