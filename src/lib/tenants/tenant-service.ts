// Tenants at run time: the write gate every format's write path asks (quota holds and hourly push
// limits), the pull limit protocol handlers ask, usage following every mutation on the bus, the
// per-tenant traffic of this server, reports and the recount. Storage usage is shared by every
// server on the store (usage documents, compare-and-swap); limits and traffic are per server.
import { randomUUID } from 'node:crypto';
import type { EventBus, PublishedEvent } from '../events/bus.js';
import type { FormatName, FormatService } from '../formats/format-service.js';
import type { Admission, PendingWrite, WriteGate } from '../formats/write-gate.js';
import type { Metrics } from '../metrics/metrics.js';
import type { ObjectStore } from '../storage/object-store.js';
import { TenantDirectory, type Tenant } from './directory.js';
import { TenantErrors } from './errors.js';
import { TenantMetrics } from './tenant-metrics.js';
import type { TenantSettings } from './tenant-checks.js';
import { TenantTraffic } from './traffic.js';
import { buildReport, type UsageReport } from './usage-report.js';
import { addedBytes, committedBytes, storedBytes } from './usage-document.js';
import { UsageLedger, type NameRef } from './usage-ledger.js';

export interface TenantServiceOptions {
  tenants: TenantSettings[];
  groups: Record<string, string[]>;
  warnAt: number[];
  holdTtlMs: number;
  store: ObjectStore;
  events: EventBus;
  metrics: Metrics;
  now: () => number;
  onError: (error: unknown) => void;
}

type FormatSet = Record<FormatName, FormatService>;

const NOTHING: Admission = { settle: async () => undefined, cancel: async () => undefined };

export class TenantService implements WriteGate {
  readonly directory: TenantDirectory;
  readonly ledger: UsageLedger;
  private formats: FormatSet | undefined;
  private readonly traffic = new Map<string, TenantTraffic>();
  /** Names whose re-weigh is queued and not started, and the re-weighs running. */
  private readonly queued = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly metrics: TenantMetrics | undefined;

  constructor(private readonly options: TenantServiceOptions) {
    this.directory = new TenantDirectory(options.tenants, options.groups);
    this.ledger = new UsageLedger(options.store, options.now, options.holdTtlMs);
    if (this.directory.list.length > 0) {
      this.metrics = new TenantMetrics(options.metrics, this.directory.list, async () => Promise.all(this.directory.list.map(async (t) => ({
        tenant: t.name, used: await this.ledger.read(t.name).then(storedBytes).catch(() => 0),
      }))));
    }
  }

  /** The format services usage is weighed with (built after this gate, which they receive). */
  attach(formats: FormatSet): void {
    this.formats = formats;
  }

  get configured(): boolean {
    return this.directory.list.length > 0;
  }

  /** The tenant owning a name given in its format's own spelling. */
  ownerOf(format: FormatName, name: string): Tenant | undefined {
    if (!this.configured || !this.formats) return undefined;
    return this.directory.ownerOf(format, this.formats[format].accessName(name));
  }

  /** This server's traffic of a tenant. */
  trafficOf(tenant: string): TenantTraffic {
    let traffic = this.traffic.get(tenant);
    if (!traffic) this.traffic.set(tenant, (traffic = new TenantTraffic()));
    return traffic;
  }

  private refName(format: FormatName, name: string): NameRef {
    const service = this.formats![format];
    return { key: `${format}:${service.accessName(name)}`, weigh: () => service.weigh(name) };
  }

  /** WriteGate: refuses over the push limit or the quota, else holds the bytes until settled. */
  async admit(write: PendingWrite): Promise<Admission> {
    const tenant = this.ownerOf(write.format, write.name);
    if (!tenant) return NOTHING;
    const now = this.options.now();
    const traffic = this.trafficOf(tenant.name);
    const counts = write.countsAsPush !== false;
    if (counts && tenant.rateLimit.push > 0) {
      const wait = traffic.pushes.secondsUntilBelow(now, tenant.rateLimit.push);
      if (wait > 0) {
        this.metrics?.refusals.inc({ tenant: tenant.name, reason: 'push_rate' });
        throw TenantErrors.RATE_LIMITED(tenant.name, 'push', tenant.rateLimit.push, wait);
      }
    }
    const blobs: Record<string, number> = {};
    write.blobs.forEach((b, i) => { blobs[b.digest ?? `pending:${randomUUID()}:${i}`] = b.size; });
    const held = await this.ledger.hold(tenant.name, tenant.quota, blobs);
    if (!held.ok) this.refuse(tenant, write, held.used, held.adds);
    if (counts) {
      traffic.pushes.add(now);
      this.metrics?.pushes.inc({ tenant: tenant.name });
    }
    return {
      settle: () => this.settle(tenant, write.format, write.name, held.id),
      cancel: () => this.ledger.release(tenant.name, held.id).catch(this.options.onError),
    };
  }

  /** WriteGate: refuses bytes that would take their tenant over its quota, holding nothing. */
  async check(write: PendingWrite): Promise<void> {
    const tenant = this.ownerOf(write.format, write.name);
    if (!tenant || tenant.quota === 0) return;
    const doc = await this.ledger.read(tenant.name);
    const now = this.options.now();
    const blobs = Object.fromEntries(write.blobs.map((b, i) => [b.digest ?? `pending:${i}`, b.size]));
    const used = committedBytes(doc, now);
    const adds = addedBytes(doc, now, blobs);
    if (used + adds > tenant.quota) this.refuse(tenant, write, used, adds);
  }

  private refuse(tenant: Tenant, write: PendingWrite, used: number, adds: number): never {
    this.metrics?.refusals.inc({ tenant: tenant.name, reason: 'quota' });
    const error = TenantErrors.QUOTA_EXCEEDED(tenant.name, tenant.quota, used, adds);
    this.options.events.publish({
      type: 'QuotaExceeded', artifact: { format: write.format, name: this.formats![write.format].accessName(write.name) }, detail: error.message,
      quota: { tenant: tenant.name, used: used + adds, quota: tenant.quota, percent: Math.floor(((used + adds) * 100) / tenant.quota) },
      ...(write.actor ? { actor: write.actor } : {}),
    });
    throw error;
  }

  /** Re-weighs one name of `tenant` (dropping a hold), and announces thresholds crossed. Never throws. */
  private async settle(tenant: Tenant, format: FormatName, name: string, holdId?: string): Promise<void> {
    try {
      const ref = this.refName(format, name);
      const result = await this.ledger.settle(tenant.name, { names: [ref], quota: tenant.quota, warnAt: this.options.warnAt, ...(holdId ? { holdId } : {}) });
      for (const percent of result.crossed) {
        this.options.events.publish({
          type: 'QuotaWarning', artifact: { format, name: ref.key.slice(format.length + 1) },
          detail: `tenant "${tenant.name}" reached ${percent}% of its storage quota (${result.used} of ${tenant.quota} bytes)`,
          quota: { tenant: tenant.name, used: result.used, quota: tenant.quota, percent },
        });
      }
    } catch (error) {
      this.options.onError(error);
    }
  }

  /** Refuses a pull over the tenant's hourly limit (429 with Retry-After); counts it otherwise. */
  admitPull(format: FormatName, name: string): void {
    const tenant = this.ownerOf(format, name);
    if (!tenant) return;
    const now = this.options.now();
    const traffic = this.trafficOf(tenant.name);
    if (tenant.rateLimit.pull > 0) {
      const wait = traffic.pulls.secondsUntilBelow(now, tenant.rateLimit.pull);
      if (wait > 0) {
        this.metrics?.refusals.inc({ tenant: tenant.name, reason: 'pull_rate' });
        throw TenantErrors.RATE_LIMITED(tenant.name, 'pull', tenant.rateLimit.pull, wait);
      }
    }
    traffic.pulls.add(now);
    this.metrics?.pulls.inc({ tenant: tenant.name });
  }

  /** Bandwidth of one request to a name (access spelling) of `format`. */
  recordBytes(format: string, accessName: string, bytesIn: number, bytesOut: number): void {
    const tenant = this.directory.ownerOf(format, accessName);
    if (!tenant) return;
    const now = this.options.now();
    const traffic = this.trafficOf(tenant.name);
    if (bytesIn > 0) { traffic.bytesIn.add(now, bytesIn); this.metrics?.bytesIn.inc({ tenant: tenant.name }, bytesIn); }
    if (bytesOut > 0) { traffic.bytesOut.add(now, bytesOut); this.metrics?.bytesOut.inc({ tenant: tenant.name }, bytesOut); }
  }

  /** Re-weighs the name of every mutation (deletes, tags, gc, restore, pushes) in the background. */
  follow(events: EventBus): () => void {
    if (!this.configured) return () => undefined;
    return events.subscribe((event) => this.onEvent(event));
  }

  private onEvent(event: PublishedEvent): void {
    if (event.type === 'ArtifactPulled' || event.type === 'QuotaWarning' || event.type === 'QuotaExceeded') return;
    // OCI pushes of blobs weigh nothing until a manifest references them, and manifest pushes settle themselves.
    if (event.type === 'ArtifactPushed' && event.artifact.format === 'oci') return;
    const format = event.artifact.format as FormatName;
    if (!this.formats?.[format]) return;
    const tenant = this.ownerOf(format, event.artifact.name);
    if (!tenant) return;
    const key = `${tenant.name}\u0000${format}\u0000${event.artifact.name}`;
    // One re-weigh queued per name: later events are covered by it (it reads the metadata then).
    if (this.queued.has(key)) return;
    this.queued.add(key);
    const run: Promise<void> = Promise.resolve().then(async () => {
      this.queued.delete(key);
      await this.settle(tenant, format, event.artifact.name);
    }).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once every queued re-weigh is written (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** A tenant's usage report (storage from the store, traffic of this server); TENANT_UNKNOWN when not configured. */
  async report(name: string): Promise<UsageReport> {
    const tenant = this.directory.byName(name);
    if (!tenant) throw TenantErrors.TENANT_UNKNOWN(name);
    return buildReport(tenant, await this.ledger.read(tenant.name), this.trafficOf(tenant.name), this.options.now());
  }

  /** The format services (after attach). */
  get formatSet(): FormatSet | undefined {
    return this.formats;
  }
}

