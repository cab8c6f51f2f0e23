// Asks every configured upstream of an enabled format one HEAD request through the same client
// NORA uses (proxy, ca_file, credentials, timeout), and measures the clock skew against the
// first Date header answered: tokens, presigned URLs and S3 signatures break when clocks drift.
import { request } from 'undici';
import type { NoraConfig } from '../../config/schema.js';
import type { UpstreamSettings } from '../../config/upstream-fields.js';
import { UpstreamClient } from '../../upstream/client.js';
import type { DoctorCheck } from './check.js';

/** What each format asks its upstream for: cheap, and answered by every conforming server. */
const PROBES = {
  docker: 'v2/',
  npm: '',
  maven: '',
  pypi: '',
  cargo: 'config.json',
} as const;
type ProbedFormat = keyof typeof PROBES;

/** Skew beyond which a check warns, and beyond which it fails (S3 refuses requests 15 min off). */
export const SKEW_WARN_MS = 30_000;
export const SKEW_FAIL_MS = 5 * 60_000;

export interface UpstreamTarget { format: ProbedFormat; settings: UpstreamSettings }

export function upstreamTargets(config: NoraConfig): UpstreamTarget[] {
  const sections = config as unknown as Record<ProbedFormat, { enabled?: boolean; upstreams: UpstreamSettings[] }>;
  return (Object.keys(PROBES) as ProbedFormat[])
    .filter((format) => sections[format].enabled !== false)
    .flatMap((format) => sections[format].upstreams.map((settings) => ({ format, settings })));
}

export interface UpstreamProbeResult { checks: DoctorCheck[]; clock: DoctorCheck }

export async function probeUpstreams(targets: UpstreamTarget[], now: () => number = Date.now): Promise<UpstreamProbeResult> {
  let skew: { ms: number; from: string } | undefined;
  const checks = await Promise.all(targets.map(async ({ format, settings }): Promise<DoctorCheck> => {
    let client: UpstreamClient;
    try {
      client = new UpstreamClient(settings);
    } catch (error) {
      return { name: `upstream ${format}`, status: 'fail', detail: `${settings.name || settings.url}: ${(error as Error).message}` };
    }
    const name = `upstream ${format} ${client.name}`;
    const url = client.url(PROBES[format]);
    const sent = now();
    try {
      const header = client.credentials.header;
      const response = await request(url, { method: 'HEAD', dispatcher: await client.dispatcher(), headers: { 'user-agent': 'nora-doctor', ...(header ? { authorization: header } : {}) } });
      response.body.resume();
      const received = now();
      const date = response.headers.date;
      const at = typeof date === 'string' ? Date.parse(date) : NaN;
      // The server stamped its Date somewhere between send and receive; compare with the middle.
      if (!skew && Number.isFinite(at)) skew = { ms: at - (sent + received) / 2, from: client.name };
      const status = response.statusCode;
      return status >= 500
        ? { name, status: 'warn', detail: `${client.base}: reachable but answered HTTP ${status}` }
        : { name, status: 'ok', detail: `${client.base}: HTTP ${status} in ${Math.round(received - sent)} ms` };
    } catch (error) {
      const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
      const why = e.cause?.code ?? e.code ?? e.cause?.message ?? e.message;
      return { name, status: 'fail', detail: `${client.base}: unreachable (${why})` };
    } finally {
      void client.close().catch(() => undefined);
    }
  }));
  return { checks, clock: clockCheck(skew) };
}

function clockCheck(skew: { ms: number; from: string } | undefined): DoctorCheck {
  if (!skew) return { name: 'clock', status: 'skip', detail: 'no upstream answered with a Date header to compare against' };
  const seconds = Math.round(skew.ms / 1000);
  const off = Math.abs(skew.ms);
  const text = `${Math.abs(seconds)} s ${seconds >= 0 ? 'behind' : 'ahead of'} ${skew.from}`;
  // HTTP dates have whole seconds: up to ~1 s of "skew" is rounding.
  if (off >= SKEW_FAIL_MS) return { name: 'clock', status: 'fail', detail: `${text}: signatures and tokens will be refused; synchronise the clock (NTP)` };
  if (off >= SKEW_WARN_MS) return { name: 'clock', status: 'warn', detail: `${text}; synchronise the clock (NTP)` };
  return { name: 'clock', status: 'ok', detail: `within ${Math.max(1, Math.abs(seconds))} s of ${skew.from}` };
}
