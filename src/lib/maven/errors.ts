// The Maven repository's error catalog: stable codes with the status each maps to. Maven clients
// print the status line and the plain-text body, so every message names the path and the fix.
import { defineError } from '../errors/catalog.js';

export const MavenErrors = {
  MAVEN_INVALID_PATH: defineError('MAVEN_INVALID_PATH', 400, 'A /maven2/ path is not a valid Maven repository path.',
    (path: string, why: string) => `invalid Maven path "${path}": ${why}`),
  MAVEN_CHECKSUM_MISMATCH: defineError('MAVEN_CHECKSUM_MISMATCH', 400, 'A client-sent checksum does not match the deployed file.',
    (file: string, algorithm: string, sent: string, actual: string) => `checksum mismatch for ${file}: the client sent ${algorithm} ${sent}, the file hashes to ${actual}`,
    (file: string, algorithm: string, sent: string, actual: string) => ({ file, algorithm, sent, actual })),
  MAVEN_BAD_CHECKSUM: defineError('MAVEN_BAD_CHECKSUM', 400, 'A checksum file body is not a hex digest of its algorithm.',
    (file: string, algorithm: string) => `${file}: the body is not a ${algorithm} checksum (expected hex digits, optionally followed by a file name)`),
  MAVEN_RELEASE_EXISTS: defineError('MAVEN_RELEASE_EXISTS', 409, 'A release version\'s file was deployed again; releases are immutable.',
    (path: string) => `${path} is already deployed and release versions are immutable: deploy a new version (or a -SNAPSHOT), or set [maven] allow_redeploy = true`),
} as const;
