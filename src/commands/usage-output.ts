// How `nora usage` prints tenants' usage: a table for people, one row per tenant as TSV for
// scripts (bytes as plain integers), or the API's JSON as is.
import type { UsageReport } from '../lib/tenants/usage-report.js';
import { formatBytes } from './reporter.js';

export const TSV_COLUMNS = ['tenant', 'used', 'quota', 'percent', 'pushes_hour', 'pulls_hour', 'bytes_in_day', 'bytes_out_day'] as const;

const row = (r: UsageReport) => [r.tenant, String(r.used), String(r.quota), r.percent === null ? '' : String(r.percent), String(r.pushes.hour), String(r.pulls.hour), String(r.bytes_in.day), String(r.bytes_out.day)];

export function usageTsv(reports: UsageReport[]): string {
  return reports.map((r) => `${row(r).join('\t')}\n`).join('');
}

export function usageTable(reports: UsageReport[]): string {
  const header = ['TENANT', 'USED', 'QUOTA', '%', 'ARTIFACTS', 'PUSHES/H', 'PULLS/H', 'IN/DAY', 'OUT/DAY', 'LARGEST'];
  const rows = [header, ...reports.map((r) => [
    r.tenant, formatBytes(r.used), r.quota > 0 ? formatBytes(r.quota) : 'none', r.percent === null ? '-' : `${r.percent}`,
    Object.entries(r.artifacts).map(([format, c]) => `${format}:${c.names}/${c.versions}`).join(' ') || '-',
    String(r.pushes.hour), String(r.pulls.hour), formatBytes(r.bytes_in.day), formatBytes(r.bytes_out.day),
    r.largest[0] ? `${r.largest[0].name} (${formatBytes(r.largest[0].bytes)})` : '-',
  ])];
  const widths = header.map((_h, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd() + '\n').join('');
}
