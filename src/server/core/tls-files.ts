// Reads and checks [server.tls] cert_file and key_file: both PEM, the certificate parses, and the
// key belongs to it. Shared by `nora serve` (initial load and reloads) and `nora doctor`.
import { stat, readFile } from 'node:fs/promises';
import { createPrivateKey, X509Certificate } from 'node:crypto';

export interface TlsFiles { cert_file: string; key_file: string }

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  subject: string;
  /** ISO time the leaf certificate expires. */
  notAfter: string;
  fingerprint256: string;
}

export class TlsFilesError extends Error {}

async function readOne(file: string, key: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new TlsFilesError(`server.tls.${key} "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Reads both files and proves they form a usable pair; throws TlsFilesError naming the key otherwise. */
export async function readTlsFiles(files: TlsFiles): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readOne(files.cert_file, 'cert_file'), readOne(files.key_file, 'key_file')]);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (error) {
    throw new TlsFilesError(`server.tls.cert_file "${files.cert_file}": not a PEM certificate (${(error as Error).message})`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new TlsFilesError(`server.tls.key_file "${files.key_file}": not a PEM private key (${(error as Error).message})`);
  }
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new TlsFilesError(`server.tls.key_file "${files.key_file}" does not belong to the certificate in server.tls.cert_file "${files.cert_file}"`);
  }
  try {
    // node:tls loads only with [server.tls], not at every start (issue 23).
    process.getBuiltinModule('node:tls').createSecureContext({ cert, key });
  } catch (error) {
    throw new TlsFilesError(`server.tls.cert_file/key_file: OpenSSL refused the pair (${(error as Error).message})`);
  }
  return { cert, key, subject: leaf.subject, notAfter: new Date(leaf.validTo).toISOString(), fingerprint256: leaf.fingerprint256 };
}

/** A cheap identity of both files' current versions (inode, size, mtime), to notice replacements. */
export async function tlsFilesStamp(files: TlsFiles): Promise<string> {
  const parts = await Promise.all([files.cert_file, files.key_file].map(async (file) => {
    try {
      const s = await stat(file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (error) {
      return `missing:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }));
  return parts.join('|');
}
