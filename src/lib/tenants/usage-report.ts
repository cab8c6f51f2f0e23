// What `GET /api/usage` and `nora usage` show for a tenant: storage (shared by every server on
// the store) against its quota, artifact counts per format and the largest names from its usage
// document; pushes, pulls and bandwidth over the last hour and day from this server's counters.
import type { FormatName } from '../formats/format-service.js';
import type { Tenant } from './directory.js';
import type { TenantTraffic } from './traffic.js';
import { committedBytes, storedBytes, type UsageDocument } from './usage-document.js';

export interface Window { hour: number; day: number }

export interface UsageReport {
  tenant: string;
  /** Bytes of the distinct blobs the tenant's artifacts reference. */
  used: number;
  /** 0: no quota. */
  quota: number;
  /** used / quota in percent (one decimal); null without a quota. */
  percent: number | null;
  /** Bytes held by pushes in flight. */
  held: number;
  namespaces: string[];
  artifacts: Partial<Record<FormatName, { names: number; versions: number }>>;
  /** The names holding the most bytes (each name's blobs summed), largest first. */
  largest: Array<{ name: string; bytes: number; versions: number }>;
  rate_limit: { push: number; pull: number };
  /** This server's counts (limits are enforced per server). */
  pushes: Window;
  pulls: Window;
  bytes_in: Window;
  bytes_out: Window;
  updated: string;
}

const LARGEST = 5;

export function buildReport(tenant: Tenant, doc: UsageDocument, traffic: TenantTraffic, now: number): UsageReport {
  const used = storedBytes(doc);
  const artifacts: UsageReport['artifacts'] = {};
  const sizes: UsageReport['largest'] = [];
  for (const [key, entry] of Object.entries(doc.names)) {
    const format = key.slice(0, key.indexOf(':')) as FormatName;
    const counts = (artifacts[format] ??= { names: 0, versions: 0 });
    counts.names++;
    counts.versions += entry.versions;
    sizes.push({ name: key, bytes: Object.values(entry.blobs).reduce((a, b) => a + b, 0), versions: entry.versions });
  }
  const window = (series: { lastHour(now: number): number; lastDay(now: number): number }): Window => ({ hour: series.lastHour(now), day: series.lastDay(now) });
  return {
    tenant: tenant.name,
    used,
    quota: tenant.quota,
    percent: tenant.quota > 0 ? Math.round((used * 1000) / tenant.quota) / 10 : null,
    held: Math.max(0, committedBytes(doc, now) - used),
    namespaces: tenant.namespaces.map((n) => `${n.format}:${n.glob}`),
    artifacts,
    largest: sizes.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name)).slice(0, LARGEST),
    rate_limit: { ...tenant.rateLimit },
    pushes: window(traffic.pushes),
    pulls: window(traffic.pulls),
    bytes_in: window(traffic.bytesIn),
    bytes_out: window(traffic.bytesOut),
    updated: doc.updated,
  };
}
