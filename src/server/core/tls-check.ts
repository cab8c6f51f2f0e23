// `nora doctor`'s TLS line: the [server.tls] pair loads as `nora serve` would load it, and the
// certificate is valid now and for a while yet.
import type { DoctorCheck } from '../../lib/ops/doctor/check.js';
import { readTlsFiles, type TlsFiles } from './tls-files.js';

const DAY = 24 * 60 * 60 * 1000;
/** Renewal tools (certbot, cert-manager) renew 30 days ahead; two weeks left means they did not. */
export const EXPIRY_WARN_MS = 14 * DAY;

export async function checkTls(files: TlsFiles, now: number = Date.now()): Promise<DoctorCheck> {
  if (files.cert_file === '') return { name: 'tls', status: 'skip', detail: 'server.tls not configured: serving plain HTTP' };
  try {
    const material = await readTlsFiles(files);
    const left = Date.parse(material.notAfter) - now;
    const what = `${material.subject.replace(/\n/g, ', ')}, key matches, expires ${material.notAfter}`;
    if (left <= 0) return { name: 'tls', status: 'fail', detail: `${what}: expired` };
    if (left < EXPIRY_WARN_MS) return { name: 'tls', status: 'warn', detail: `${what}: ${Math.floor(left / DAY)} days left` };
    return { name: 'tls', status: 'ok', detail: what };
  } catch (error) {
    return { name: 'tls', status: 'fail', detail: (error as Error).message };
  }
}
