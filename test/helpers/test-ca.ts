// A throwaway certificate authority made with the openssl CLI: a CA and leaf certificates for
// 127.0.0.1/localhost signed by it, so real clients can be told to trust exactly this CA.
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runProcess } from './run-process.js';

export interface TestCa {
  dir: string;
  /** PEM file of the CA certificate (what clients are told to trust). */
  caFile: string;
  /** Writes a key and a certificate with this common name, signed by the CA, and returns their paths. */
  issue(name: string, options?: { days?: number }): Promise<{ certFile: string; keyFile: string }>;
  cleanup(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const result = await runProcess('openssl', args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, input: '' });
  if (result.code !== 0) throw new Error(`openssl ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
}

export async function makeTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-ca-'));
  const caFile = path.join(dir, 'ca.crt');
  await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-days', '365', '-subj', '/CN=NORA Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  let serial = 0;
  return {
    dir,
    caFile,
    async issue(name, { days = 2 } = {}) {
      const base = `${name}-${++serial}`;
      await writeFile(path.join(dir, `${base}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
      await openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${name}`], dir);
      await openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', String(days), '-extfile', `${base}.ext`, '-out', `${base}.crt`], dir);
      return { certFile: path.join(dir, `${base}.crt`), keyFile: path.join(dir, `${base}.key`) };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Replaces `target` with a copy of `source` atomically (as cert renewal tools do). */
export async function replaceFile(source: string, target: string): Promise<void> {
  const temp = `${target}.tmp-${process.pid}`;
  await writeFile(temp, await readFile(source));
  await rename(temp, target);
}
