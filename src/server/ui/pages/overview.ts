// The overview: names per format the viewer may pull, storage per format (admins; figures up to
// a minute old, usage-cache.ts), the last pushes this server saw, pull-through upstreams with
// their cache counters (admins), the last garbage collection and retention pass in this server
// and the replication rules' status (admins), and tenants' storage against their quotas (admins:
// every tenant; a member: their own), from the same sources as /api/gc, /api/retention,
// /api/replication and /api/usage.
import { FORMATS, type FormatName } from '../../../lib/formats/format-service.js';
import type { GcReport } from '../../../lib/ops/gc-progress.js';
import type { RuleStatus } from '../../../lib/ops/replicate/rules/replication-runner.js';
import type { PassReport } from '../../../lib/ops/retention/pass.js';
import type { UsageReport } from '../../../lib/tenants/usage-report.js';
import type { Services } from '../../../lib/services.js';
import { upstreamMetrics } from '../../../lib/upstream/metrics.js';
import { bytes, count, time } from '../format-values.js';
import { html, type Html } from '../html.js';
import { FORMAT_TITLES } from '../layout.js';
import { nameFromAccessName, nameUrl } from '../links.js';
import type { RecentPushes } from '../recent-pushes.js';
import type { UsageCache } from '../usage-cache.js';
import type { Viewer } from '../viewer.js';

/** How many names of `format` the viewer may pull. */
async function visibleNames(services: Services, viewer: Viewer, format: FormatName): Promise<number> {
  const page = await services.formats[format].listNames({ canPull: (name) => viewer.canPullAccess(format, name) });
  return page.items.length;
}

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

async function formatCards(services: Services, viewer: Viewer, usages: UsageCache | undefined): Promise<Html> {
  const cards = await Promise.all(FORMATS.map(async (format) => {
    const [names, usage] = await Promise.all([visibleNames(services, viewer, format), usages?.get(format)]);
    return html`<div class="card"><a href="/ui/${format}">${FORMAT_TITLES[format]}</a><b>${count(names)}</b><span class="muted">${plural(names, format === 'oci' ? 'repository' : 'package', format === 'oci' ? 'repositories' : 'packages')}${usage ? html`<br>${count(usage.versions)} ${plural(usage.versions, format === 'oci' ? 'tag' : 'version')} \u00b7 ${bytes(usage.bytes)}` : ''}</span></div>`;
  }));
  return html`<div class="cards">${cards}</div>`;
}

async function recent(pushes: RecentPushes, viewer: Viewer): Promise<Html> {
  const rows: Html[] = [];
  for (const push of pushes.list()) {
    if (rows.length === 15) break;
    const format = push.format as FormatName;
    if (!FORMATS.includes(format)) continue;
    const name = nameFromAccessName(format, push.name);
    if (!(await viewer.canPull(format, name))) continue;
    rows.push(html`<tr><td>${FORMAT_TITLES[format]}</td><td><a href="${nameUrl(format, name)}">${name}</a></td><td>${push.reference}</td><td>${push.actor}</td><td class="n">${time(push.at.toISOString())}</td></tr>`);
  }
  if (!rows.length) return html`<p class="muted">No pushes through this server since it started.</p>`;
  return html`<div class="scroll"><table><tr><th>Format</th><th>Name</th><th>Version</th><th>By</th><th class="n">When</th></tr>${rows}</table></div>`;
}

type Row = { hits: number; misses: number; errors: number; stale: number };

async function upstreams(services: Services): Promise<Html> {
  const { config } = services;
  const configured: Array<[string, { name: string; url: string }[]]> = [
    ['Images', config.docker.upstreams], ['npm', config.npm.upstreams], ['Maven', config.maven.upstreams], ['Cargo', config.cargo.upstreams], ['PyPI', config.pypi.upstreams],
  ];
  const metrics = upstreamMetrics(services.metrics);
  const counters: Record<string, Row> = {};
  const add = async (metric: { get(): Promise<{ values: { value: number; labels: Record<string, string | number | undefined> }[] }> }, field: keyof Row) => {
    for (const { value, labels } of (await metric.get()).values) {
      const row = (counters[String(labels.upstream)] ??= { hits: 0, misses: 0, errors: 0, stale: 0 });
      row[field] += value;
    }
  };
  await Promise.all([add(metrics.hits, 'hits'), add(metrics.misses, 'misses'), add(metrics.errors, 'errors'), add(metrics.stale, 'stale')]);
  const rows = configured.flatMap(([format, list]) => list.map((upstream) => {
    // Credentials in a URL are never shown: the origin only.
    const origin = originOf(upstream.url);
    const row = Object.entries(counters).find(([label]) => label === upstream.name || label === origin || label.startsWith(origin))?.[1];
    return html`<tr><td>${format}</td><td>${upstream.name || origin}</td><td>${origin}</td><td class="n">${row ? count(row.hits) : 0}</td><td class="n">${row ? count(row.misses) : 0}</td><td class="n">${row ? count(row.errors) : 0}</td></tr>`;
  }));
  if (!rows.length) return html`<p class="muted">No upstream caches are configured.</p>`;
  return html`<div class="scroll"><table><tr><th>Format</th><th>Upstream</th><th>Origin</th><th class="n">Cache hits</th><th class="n">Misses</th><th class="n">Errors</th></tr>${rows}</table></div><p class="muted">Counted since this server started.</p>`;
}

function originOf(url: string): string {
  try {
    const parsed = new URL(url.replace(/^sparse\+/, ''));
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '';
  }
}

function gc(report: GcReport): Html {
  if (report.phase === 'idle') return html`<p class="muted">No garbage collection has run in this server since it started.</p>`;
  return html`<dl><dt>State</dt><dd>${report.phase}${report.dryRun ? ' (dry run)' : ''}</dd><dt>Started</dt><dd>${time(report.startedAt)}</dd>
<dt>Finished</dt><dd>${time(report.finishedAt, 'running')}</dd><dt>Freed</dt><dd>${count(report.blobsFreed)} blobs, ${bytes(report.bytesFreed)}</dd>${report.error ? html`<dt>Error</dt><dd class="warn">${report.error}</dd>` : ''}</dl>`;
}

function retention(report: PassReport): Html {
  if (report.phase === 'idle') return html`<p class="muted">No retention pass has run in this server since it started.</p>`;
  const decided = report.decisions.length + report.cache.evictions.length;
  return html`<dl><dt>State</dt><dd>${report.phase}${report.dryRun ? ' (dry run)' : ''}</dd><dt>Started</dt><dd>${time(report.startedAt)}</dd>
<dt>Finished</dt><dd>${time(report.finishedAt, 'running')}</dd><dt>${report.dryRun ? 'Would delete' : 'Deleted'}</dt><dd>${count(report.dryRun ? decided : report.deleted + report.cache.evicted)} of ${count(report.considered)} looked at \u00b7 gc then frees ${bytes(report.bytes + report.cache.bytes)}</dd>
${report.skipped.length || report.failed.length ? html`<dt>Skipped, failed</dt><dd>${count(report.skipped.length)}, ${count(report.failed.length + report.cache.failed.length)}</dd>` : ''}${report.error ? html`<dt>Error</dt><dd class="warn">${report.error}</dd>` : ''}</dl>`;
}

function replication(rules: RuleStatus[]): Html {
  if (!rules.length) return html`<p class="muted">No replication rules are configured.</p>`;
  // Credentials in a URL are never shown: the origin only.
  const rows = rules.map((r) => html`<tr><td>${r.name}</td><td>${originOf(r.remote)}</td><td class="n">${count(r.pending)}</td><td class="n">${count(r.copied)}</td><td class="n">${count(r.failed)}</td><td class="n">${time(r.lastRun, 'not yet')}</td><td${r.lastError ? html` class="warn"` : ''}>${r.lastError ?? ''}</td></tr>`);
  return html`<div class="scroll"><table><tr><th>Rule</th><th>Remote</th><th class="n">Waiting</th><th class="n">Copied</th><th class="n">Failed</th><th class="n">Last run</th><th>Last error</th></tr>${rows}</table></div><p class="muted">Copied and failed are counted since this server started.</p>`;
}

function tenants(reports: UsageReport[]): Html {
  const rows = reports.map((r) => html`<tr><td>${r.tenant}</td><td class="n">${bytes(r.used)}</td><td class="n">${r.quota > 0 ? bytes(r.quota) : 'none'}</td><td class="n${r.percent !== null && r.percent >= 90 ? ' warn' : ''}">${r.percent === null ? '' : `${r.percent}%`}</td><td>${r.namespaces.join(', ')}</td></tr>`);
  return html`<div class="scroll"><table><tr><th>Tenant</th><th class="n">Used</th><th class="n">Quota</th><th class="n">Of quota</th><th>Namespaces</th></tr>${rows}</table></div>`;
}

/** The tenants whose usage the viewer may see: every one for an admin, else those it is a member of. */
async function tenantReports(services: Services, viewer: Viewer, admin: boolean): Promise<UsageReport[]> {
  const { tenants: service } = services;
  const shown = admin || !services.config.auth.enabled ? service.directory.list : viewer.signedIn ? service.directory.memberships(viewer.name) : [];
  return Promise.all(shown.map((t) => service.report(t.name)));
}

/** What the overview shows of the operations of this server (read by the page's caller). */
export interface Operations {
  gc: GcReport;
  retention: () => PassReport;
  replication: () => Promise<RuleStatus[]>;
}

export async function overviewPage(services: Services, viewer: Viewer, pushes: RecentPushes, usages: UsageCache, ops: Operations): Promise<Html> {
  const admin = await viewer.isAdmin();
  const [cards, recentRows, upstreamRows, replicationRules, usage] = await Promise.all([
    formatCards(services, viewer, admin ? usages : undefined), recent(pushes, viewer), admin ? upstreams(services) : undefined,
    admin ? ops.replication() : undefined, tenantReports(services, viewer, admin),
  ]);
  return html`<h1>Overview</h1>${cards}
<h2>Recent pushes</h2>${recentRows}
${upstreamRows ? html`<h2>Upstream caches</h2>${upstreamRows}` : ''}
${usage.length ? html`<h2 id="tenants">Tenants</h2>${tenants(usage)}` : ''}
<h2>Garbage collection</h2>${gc(ops.gc)}
${admin ? html`<h2 id="retention">Retention</h2>${retention(ops.retention())}` : ''}
${replicationRules ? html`<h2 id="replication">Replication</h2>${replication(replicationRules)}` : ''}`;
}
