// The overview: names per format the viewer may pull, storage per format (admins; figures up to
// a minute old, usage-cache.ts), the last pushes this server saw, pull-through upstreams with
// their cache counters (admins) and the last garbage collection in this server.
import { FORMATS, type FormatName } from '../../../lib/formats/format-service.js';
import type { GcReport } from '../../../lib/ops/gc-progress.js';
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

export async function overviewPage(services: Services, viewer: Viewer, pushes: RecentPushes, usages: UsageCache, gcReport: GcReport): Promise<Html> {
  const admin = await viewer.isAdmin();
  const [cards, recentRows, upstreamRows] = await Promise.all([formatCards(services, viewer, admin ? usages : undefined), recent(pushes, viewer), admin ? upstreams(services) : undefined]);
  return html`<h1>Overview</h1>${cards}
<h2>Recent pushes</h2>${recentRows}
${upstreamRows ? html`<h2>Upstream caches</h2>${upstreamRows}` : ''}
<h2>Garbage collection</h2>${gc(gcReport)}`;
}
