// The [[replication]] rules inside `nora serve`: each push of a matching tag (TagCreated) and,
// with `delete`, each tag deletion is queued in the store (coordination/durable-queue.ts), so a
// restart or a crash loses nothing and several servers on one store do each item once; a worker
// loop claims items and copies them to the rule's remote (copier.ts, the same path as `nora
// replicate`). Package formats (npm, Maven, Cargo, PyPI) queue one "sync" item per change of a
// name, done by that format's pusher (formats/, the same path as `nora replicate --format`), and
// with `delete` one item per deleted version. A failure is logged once with its reason and the
// item retried with backoff; after the queue's attempts it is kept as dead, listed with its reason
// in the status. A trigger = "schedule" rule instead runs a full pass (replicate.ts,
// push-formats.ts) on its cron, under a lease in the store so one server of several runs each
// pass (ops/scheduled-pass.ts: the lease outlives the pass until just before the next tick, so a
// server whose cron fires a little late skips it too). Counters live in the store too
// (coordination/shared-status.ts): they survive restarts and add up across the servers of one store.
import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import type { NoraConfig } from '../../../config/schema.js';
import { holdClaim } from '../../../coordination/claim-heartbeat.js';
import { DurableQueue } from '../../../coordination/durable-queue.js';
import { Leases } from '../../../coordination/leases.js';
import { runScheduledPass } from '../../scheduled-pass.js';
import type { QueueItem } from '../../../coordination/queue-item.js';
import { SharedStatus } from '../../../coordination/shared-status.js';
import type { PublishedEvent } from '../../../events/bus.js';
import type { Services } from '../../../services.js';
import { readCredentials } from '../../../upstream/credentials.js';
import { Copier } from '../copier.js';
import { parseSelection, type Selection } from '../filters.js';
import { pushFormat, type PackageFormat } from '../formats/push-formats.js';
import { RemoteNora } from '../formats/remote-nora.js';
import { pullFormat, type PullFormat } from '../formats/pull-formats.js';
import type { Location } from '../location.js';
import { replicate } from '../replicate.js';
import { withRetry } from '../retry.js';
import type { ReplicateEvent, ReplicateSummary } from '../events.js';
import { LocalEndpoint } from '../local-endpoint.js';
import { RegistryEndpoint, type RegistryAuth } from '../registry-endpoint.js';
import { deletePackage, deletePackageVersion, packageItem, syncPackage } from './package-items.js';
import { ruleMetrics, type RuleMetrics } from './rule-metrics.js';

type Rule = NoraConfig['replication'][number];

/**
 * One queued change. OCI (no format): copy or delete `tag` of `repo`. A package format: "sync"
 * pushes what the remote lacks of name `repo` and aligns its tags, yanks and deprecations (`tag`:
 * the version or tag the event named, for the log); "delete" removes version `tag` ("": the
 * whole package, each version this store no longer has).
 */
export interface ReplicationItem { op: 'copy' | 'delete' | 'sync'; repo: string; tag: string; digest?: string; format?: PackageFormat }

/** What each rule has done, kept in the store (shared by the servers on it, kept across restarts). */
interface RuleStats { copied: number; failed: number; bytes: number; lastRun?: string; lastError?: string; lastPass: RuleStatus['failures'] }

export interface RuleStatus {
  name: string;
  remote: string;
  formats: string[];
  pending: number;
  oldestPending?: string;
  copied: number;
  failed: number;
  bytes: number;
  lastRun?: string;
  lastError?: string;
  /** Failing queue items (event rules), or the failures of the last pass (schedule rules: state "last-pass"). */
  failures: Array<{ id: string; item: ReplicationItem; attempts: number; reason: string; state: 'pending' | 'dead' | 'last-pass' }>;
}

export interface RunnerLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

interface RuleState {
  rule: Rule;
  queue: DurableQueue<ReplicationItem>;
  remote: RegistryEndpoint;
  /** The remote as a NORA, for package formats. */
  nora: RemoteNora;
  copier: Copier;
  /** Repository and package names (--filter), tags and versions (tags glob, semver range). */
  selection: Selection;
  busy: boolean;
  /** Blob bytes sent since the stats were last written. */
  unsavedBytes: number;
  stats: SharedStatus<RuleStats>;
  cron?: Cron;
}

/**
 * A claim's length. Short, so the items of a server killed mid-work are claimable again within
 * a minute; renewed every third of it while the item waits its turn or runs (claim-heartbeat.ts).
 */
const CLAIM_MS = 60_000;
const BATCH = 4;

const runners = new WeakMap<Services, ReplicationRunner>();

/** The one runner of a process's services: the API starts it, the UI shows its status. */
export function replicationRunnerFor(services: Services, log: RunnerLog): ReplicationRunner {
  let runner = runners.get(services);
  if (!runner) {
    runner = new ReplicationRunner(services, log);
    runners.set(services, runner);
  }
  return runner;
}

export class ReplicationRunner {
  private readonly rules: RuleState[];
  private readonly metrics: RuleMetrics;
  private readonly leases: Leases;
  private readonly local: LocalEndpoint;
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly drains = new Set<Promise<void>>();
  private stopping: Promise<void> | undefined;

  constructor(private readonly services: Services, private readonly log: RunnerLog, private readonly options: { pollMs?: number; backoffBaseMs?: number; env?: NodeJS.ProcessEnv; leases?: Leases } = {}) {
    this.metrics = ruleMetrics(services.metrics);
    this.leases = options.leases ?? new Leases(services.store);
    const local = new LocalEndpoint(services.formats.oci);
    this.local = local;
    this.rules = services.config.replication.map((rule) => {
      const auth = ruleAuth(rule, options.env ?? process.env);
      const base = rule.remote.replace(/\/+$/, '');
      const remote = new RegistryEndpoint({ base, auth, timeoutMs: 60_000, maxConcurrency: 8 });
      const state: RuleState = {
        rule,
        nora: new RemoteNora(base, auth, 60_000, 8),
        stats: new SharedStatus<RuleStats>(services.store, `replication-${rule.name}`),
        unsavedBytes: 0,
        queue: new DurableQueue<ReplicationItem>(services.store, `replication-${rule.name}`, { backoff: { baseMs: options.backoffBaseMs ?? 2000, maxMs: 15 * 60_000 } }),
        remote,
        copier: new Copier({
          source: local, dest: remote, selection: { name: () => true, tag: () => true }, referrers: false, dryRun: false, concurrency: 2,
          // The queue retries with its backoff; one attempt per claim here.
          retry: (_what, step) => step(),
          emit: (event) => { if (event.type === 'blob' && event.status === 'copied') this.sent(state, event.size); },
        }),
        selection: parseSelection({ filter: rule.filter, ...(rule.tags ? { tags: rule.tags } : {}), ...(rule.semver ? { semver: rule.semver } : {}) }, Date.now()),
        busy: false,
      };
      return state;
    });
  }

  /** Subscribes to pushes and deletions and starts the worker loop (nothing without rules). */
  start(): void {
    if (this.rules.length === 0) return;
    for (const state of this.rules) {
      if (state.rule.trigger !== 'schedule') continue;
      state.cron = new Cron(state.rule.schedule, { protect: true }, async (cron: Cron) => { await this.scheduledTick(state, cron.msToNext()); });
    }
    this.unsubscribe = this.services.events.subscribe((event) => {
      for (const state of this.rules) {
        if (state.rule.trigger !== 'event' || !state.rule.formats.includes(event.artifact.format)) continue;
        const item = event.artifact.format === 'oci' ? ociItem(state, event) : packageItem(event, state.selection, state.rule.delete);
        if (item) void this.enqueue(state, item, event);
      }
    });
    if (!this.rules.some((s) => s.rule.trigger === 'event')) return;
    this.timer = setInterval(() => this.pump(), this.options.pollMs ?? 2000);
    this.timer.unref();
    this.pump();
  }

  /**
   * Stops claiming; the items this server holds are released, claimable at once by the next
   * server (or this one restarted) without counting an attempt: those waiting their turn at
   * once, the one running when its client, closed here, fails its next request.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      this.unsubscribe?.();
      if (this.timer) clearInterval(this.timer);
      for (const state of this.rules) state.cron?.stop();
      await Promise.all(this.rules.flatMap((s) => [s.remote.close(), s.nora.close()]));
      await Promise.all(this.drains);
    })();
    return this.stopping;
  }

  /** Per rule: waiting items, counts since start, last run and error, failures with reasons. */
  async status(): Promise<RuleStatus[]> {
    const now = Date.now();
    return Promise.all(this.rules.map(async (state) => {
      const waiting: QueueItem<ReplicationItem>[] = [];
      const dead: QueueItem<ReplicationItem>[] = [];
      for (const [list, query] of [[waiting, { active: true }], [dead, { state: 'dead' as const }]] as const) {
        let cursor: string | undefined;
        do {
          const page = await state.queue.list({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
          list.push(...page.items);
          cursor = page.cursor;
        } while (cursor && list.length < 5000);
      }
      const oldest = waiting.reduce<number | undefined>((min, i) => (min === undefined || i.enqueuedAt < min ? i.enqueuedAt : min), undefined);
      this.metrics.pending.set({ rule: state.rule.name }, waiting.length);
      this.metrics.lag.set({ rule: state.rule.name }, oldest === undefined ? 0 : (now - oldest) / 1000);
      const stats = (await state.stats.read()) ?? { copied: 0, failed: 0, bytes: 0, lastPass: [] };
      const failures = [...[...waiting.filter((i) => i.lastError), ...dead].map((i) => ({ id: i.id, item: i.payload, attempts: i.attempts, reason: i.lastError ?? '', state: i.state === 'dead' ? 'dead' as const : 'pending' as const })), ...stats.lastPass];
      return {
        name: state.rule.name, remote: state.remote.label, formats: state.rule.formats, pending: waiting.length, ...(oldest !== undefined ? { oldestPending: new Date(oldest).toISOString() } : {}),
        copied: stats.copied, failed: stats.failed, bytes: stats.bytes + state.unsavedBytes,
        ...(stats.lastRun ? { lastRun: stats.lastRun } : {}), ...(stats.lastError ? { lastError: stats.lastError } : {}), failures,
      };
    }));
  }

  /**
   * One tick of schedule rule `name` (its cron calls this; tests call it with an injected lease
   * clock): runs a full pass here when this server takes the rule's lease, false when another
   * server holds it (it runs or just ran that pass).
   */
  async tick(name: string, msToNext: number | null): Promise<boolean> {
    const state = this.rules.find((s) => s.rule.name === name && s.rule.trigger === 'schedule');
    if (!state) throw new Error(`no schedule replication rule named ${name}`);
    return this.scheduledTick(state, msToNext);
  }

  private async scheduledTick(state: RuleState, msToNext: number | null): Promise<boolean> {
    try {
      return await runScheduledPass({ leases: this.leases, name: `replication-${state.rule.name}`, msToNext }, () => this.pass(state));
    } catch (error) {
      this.log.warn({ rule: state.rule.name, reason: (error as Error).message }, 'replication failed');
      return false;
    }
  }

  /** One full pass of a schedule rule (under its lease: scheduledTick). */
  private async pass(state: RuleState): Promise<void> {
    const { rule } = state;
    const remote = new URL(rule.remote);
    const registry: Location = { kind: 'registry', base: remote.origin, host: remote.host, path: '', glob: false, url: true };
    const local: Location = { kind: 'local', prefix: '' };
    const [from, to]: [Location, Location] = rule.direction === 'pull'
      ? [registry, { kind: 'local', prefix: rule.dest_prefix }]
      : [local, { ...registry, path: rule.dest_prefix.replace(/\/$/, '') }];
    try {
      const lastRun = new Date().toISOString();
      const started = performance.now();
      await this.record(state, { lastRun });
      const retryPolicy = { attempts: 3, maxTimeMs: 5 * 60_000, baseMs: 1000, now: Date.now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), random: Math.random };
      const emit = (event: ReplicateEvent) => { if (event.type === 'blob' && event.status === 'copied') this.sent(state, event.size); };
      const summaries: ReplicateSummary[] = [];
      for (const format of rule.formats) {
        if (format === 'oci') {
          summaries.push(await replicate({
            from, to, source: rule.direction === 'pull' ? state.remote : this.local, dest: rule.direction === 'pull' ? this.local : state.remote,
            selection: state.selection, referrers: false, dryRun: false, concurrency: 2, retry: retryPolicy, emit,
          }));
        } else if (rule.direction === 'pull') {
          const retry = <T>(what: string, step: () => Promise<T>) => withRetry(step, retryPolicy);
          summaries.push(await pullFormat({
            format: format as PullFormat, formats: this.services.formats, blobs: this.services.blobs, config: this.services.config, remote: state.nora,
            selection: state.selection, dryRun: false, concurrency: 2, retry, emit, now: Date.now, actor: `replication:${rule.name}`,
          }));
        } else {
          const retry = <T>(what: string, step: () => Promise<T>) => withRetry(step, retryPolicy);
          summaries.push(await pushFormat({
            format: format as PackageFormat, service: this.services.formats[format as PackageFormat], blobs: this.services.blobs, remote: state.nora,
            selection: state.selection, dryRun: false, concurrency: 2, retry, emit, now: Date.now,
          }));
        }
      }
      const copied = summaries.reduce((n, s) => n + s.copied, 0);
      const failures = summaries.flatMap((s) => s.failures);
      // OCI bytes were counted blob by blob (sent); package pushers report theirs in the summary.
      const bytes = summaries.reduce((n, s, i) => n + (rule.formats[i] === 'oci' ? 0 : s.bytes), 0);
      this.metrics.items.inc({ rule: rule.name, outcome: 'copied' }, copied);
      this.metrics.items.inc({ rule: rule.name, outcome: 'failed' }, failures.length);
      this.metrics.bytes.inc({ rule: rule.name }, bytes);
      const lastPass = failures.map((f) => {
        const [repo, tag] = f.artifact.split(/:(?=[^:/]*$)/);
        return { id: f.artifact, item: { op: 'copy' as const, repo: repo ?? f.artifact, tag: tag ?? '' }, attempts: 1, reason: f.reason, state: 'last-pass' as const };
      });
      for (const f of failures) this.log.warn({ rule: rule.name, artifact: f.artifact, reason: f.reason }, 'replication failed');
      this.metrics.duration.observe({ rule: rule.name, kind: 'pass' }, (performance.now() - started) / 1000);
      await this.record(state, { copied, failed: failures.length, bytes, lastRun, ...(failures[0] ? { lastError: failures[0].reason } : {}), lastPass });
      this.log.info({ rule: rule.name, direction: rule.direction, formats: rule.formats, copied, skipped: summaries.reduce((n, s) => n + s.skipped, 0), failed: failures.length, bytes: summaries.reduce((n, s) => n + s.bytes, 0) }, 'replication pass');
    } catch (error) {
      const reason = (error as Error).message;
      this.log.warn({ rule: rule.name, reason }, 'replication failed');
      await this.record(state, { lastError: reason });
    }
  }

  /** Blob bytes sent: counted now in the metrics, written to the store with the next record. */
  private sent(state: RuleState, size: number): void {
    state.unsavedBytes += size;
    this.metrics.bytes.inc({ rule: state.rule.name }, size);
  }

  /** Adds to the rule's counters in the store (a failure to write is logged, the work is done). */
  private async record(state: RuleState, change: { copied?: number; failed?: number; bytes?: number; lastRun?: string; lastError?: string; lastPass?: RuleStatus['failures'] }): Promise<void> {
    const bytes = state.unsavedBytes + (change.bytes ?? 0);
    state.unsavedBytes = 0;
    try {
      await state.stats.update((now) => ({
        copied: (now?.copied ?? 0) + (change.copied ?? 0),
        failed: (now?.failed ?? 0) + (change.failed ?? 0),
        bytes: (now?.bytes ?? 0) + bytes,
        ...(change.lastRun ?? now?.lastRun ? { lastRun: change.lastRun ?? now?.lastRun } : {}),
        ...(change.lastError ?? now?.lastError ? { lastError: change.lastError ?? now?.lastError } : {}),
        lastPass: change.lastPass ?? now?.lastPass ?? [],
      }));
    } catch (error) {
      state.unsavedBytes += bytes;
      this.log.warn({ rule: state.rule.name, err: (error as Error).message }, 'replication counters could not be saved');
    }
  }

  /** Queues an item; its id is its content (OCI: a redelivered event adds nothing) or, for a package change, also the event's time. */
  private async enqueue(state: RuleState, item: ReplicationItem, event: PublishedEvent): Promise<void> {
    const at = event.artifact.format === 'oci' ? '' : event.at.getTime();
    const id = createHash('sha256').update(JSON.stringify([item.op, item.format ?? 'oci', item.repo, item.tag, item.digest ?? '', at])).digest('hex').slice(0, 32);
    try {
      const { created } = await state.queue.enqueue(item, { id });
      // Which event queued which item: what explains an item nobody expected.
      if (created) this.log.info({ rule: state.rule.name, id, op: item.op, repo: item.repo, tag: item.tag, event: event.type, reference: event.artifact.reference, actor: event.actor, requestId: event.requestId }, 'replication item queued');
      this.pump();
    } catch (error) {
      this.log.warn({ rule: state.rule.name, item, err: (error as Error).message }, 'replication item could not be queued');
    }
  }

  /** Claims and runs what each idle rule has waiting. */
  private pump(): void {
    for (const state of this.rules) {
      if (state.busy || this.stopped || state.rule.trigger !== 'event') continue;
      state.busy = true;
      const drain = this.drain(state).catch((error: unknown) => {
        this.log.warn({ rule: state.rule.name, err: (error as Error).message }, 'replication worker stopped; the next poll resumes it');
      }).finally(() => {
        state.busy = false;
        this.drains.delete(drain);
      });
      this.drains.add(drain);
    }
  }

  private async drain(state: RuleState): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      let items: QueueItem<ReplicationItem>[];
      try {
        items = await state.queue.claim(BATCH, CLAIM_MS);
      } catch (error) {
        this.log.warn({ rule: state.rule.name, err: (error as Error).message }, 'replication queue unavailable');
        return;
      }
      if (items.length === 0) return;
      // Items of one name run one after the other (a Maven deploy queues one item per file).
      const byName = new Map<string, QueueItem<ReplicationItem>[]>();
      for (const item of items) {
        const key = `${item.payload.format ?? 'oci'}:${item.payload.repo}`;
        byName.set(key, [...(byName.get(key) ?? []), item]);
      }
      // Every claim of the batch is renewed from now on, also while the item waits its turn.
      await Promise.all([...byName.values()].flatMap((group) => {
        let turn: Promise<unknown> = Promise.resolve();
        return group.map((item) => {
          const before = turn;
          turn = this.hold(state, item, before);
          return turn;
        });
      }));
    }
  }

  /** Holds the claim of `item` until it has run, after `before` (the item ahead of it in its name). */
  private hold(state: RuleState, item: QueueItem<ReplicationItem>, before: Promise<unknown>): Promise<void> {
    return holdClaim(state.queue, item, CLAIM_MS, async (lost) => {
      await before.catch(() => undefined); // its own failure is logged where it happened
      if (lost.aborted) return;
      if (this.stopped) await this.release(state, item);
      else await this.run(state, item, lost);
    }, { onRenewError: (error) => this.log.warn({ rule: state.rule.name, id: item.id, err: (error as Error).message }, 'replication claim could not be renewed') });
  }

  /** Gives an unfinished item back at shutdown (logged if the store refuses: the claim then expires). */
  private async release(state: RuleState, item: QueueItem<ReplicationItem>): Promise<void> {
    const released = await state.queue.release(item).catch((error: unknown) => {
      this.log.warn({ rule: state.rule.name, id: item.id, err: (error as Error).message }, 'replication item could not be released');
      return false;
    });
    if (released) this.log.info({ rule: state.rule.name, id: item.id, repo: item.payload.repo }, 'replication item released at shutdown');
  }

  /** Runs one item; `lost` aborts when another server has taken its claim over: it records nothing then. */
  private async run(state: RuleState, item: QueueItem<ReplicationItem>, lost: AbortSignal): Promise<void> {
    const { rule } = state;
    const { op, repo, tag, format } = item.payload;
    const target = format ? repo : `${rule.dest_prefix}${repo}`;
    const lastRun = new Date().toISOString();
    const started = performance.now();
    try {
      let outcome: string;
      let copied = 0;
      let bytes = 0;
      if (format && op === 'sync') {
        const done = await syncPackage({ service: this.services.formats[format], blobs: this.services.blobs, remote: state.nora, keep: state.selection.tag }, format, repo);
        if (done.failed) {
          // What was published is counted now; the item is retried for the rest.
          if (done.copied) await this.record(state, { copied: done.copied, bytes: done.bytes });
          throw new Error(done.failed);
        }
        ({ copied, bytes } = done);
        outcome = copied ? 'copied' : 'skipped';
      } else if (format && tag === '') {
        const deleted = await deletePackage({ service: this.services.formats[format], blobs: this.services.blobs, remote: state.nora, keep: state.selection.tag }, format, repo);
        outcome = deleted ? 'deleted' : 'gone';
      } else if (format) {
        outcome = (await deletePackageVersion(state.nora, format, repo, tag)) ? 'deleted' : 'gone';
      } else if (op === 'copy') {
        const present = await state.copier.copy(repo, target, tag).then(() => true, (error: unknown) => {
          if ((error as { code?: unknown }).code === 'REPLICATE_SOURCE_MISSING') return false;
          throw error;
        });
        outcome = present ? 'copied' : 'gone';
        if (present) copied = 1;
      } else {
        outcome = (await state.remote.deleteTag(target, tag)) ? 'deleted' : 'gone';
      }
      if (lost.aborted) {
        this.log.warn({ rule: rule.name, op, repo, tag, reason: (lost.reason as Error).message }, 'replication claim lost; the other server records the item');
        return;
      }
      await state.queue.complete(item, { outcome });
      await this.record(state, { copied, bytes, lastRun });
      this.metrics.items.inc({ rule: rule.name, outcome });
      if (bytes) this.metrics.bytes.inc({ rule: rule.name }, bytes);
      this.log.info({ rule: rule.name, op, ...(format ? { format } : {}), repo, tag, target, outcome }, 'replicated');
    } catch (error) {
      const reason = (error as Error).message;
      if (lost.aborted) {
        this.log.warn({ rule: rule.name, op, repo, tag, reason: (lost.reason as Error).message }, 'replication claim lost; the other server records the item');
        return;
      }
      if (this.stopped) {
        await this.release(state, item); // cut short by the shutdown: not a failure of the item
        return;
      }
      this.metrics.items.inc({ rule: rule.name, outcome: 'failed' });
      const next = await state.queue.fail(item, reason).catch(() => 'lost' as const);
      // Logged before the counters are written: the failure is visible in the status as soon as
      // the queue holds it, and the log line must not come after that.
      this.log.warn({ rule: rule.name, op, ...(format ? { format } : {}), repo, tag, attempt: item.attempts, next, reason }, 'replication failed');
      await this.record(state, { failed: 1, lastRun, lastError: reason });
    } finally {
      this.metrics.duration.observe({ rule: rule.name, kind: 'item' }, (performance.now() - started) / 1000);
    }
  }
}

/** The queue item of an OCI event a rule matches: a tag pushed, or (with delete) a tag deleted. */
function ociItem(state: RuleState, event: PublishedEvent): ReplicationItem | undefined {
  const { artifact } = event;
  if (!artifact.reference || !state.selection.name(artifact.name) || !state.selection.tag(artifact.reference)) return undefined;
  const digest = artifact.digest ? { digest: artifact.digest } : {};
  if (event.type === 'TagCreated') return { op: 'copy', repo: artifact.name, tag: artifact.reference, ...digest };
  if (event.type === 'ArtifactDeleted' && state.rule.delete) return { op: 'delete', repo: artifact.name, tag: artifact.reference, ...digest };
  return undefined;
}

/** A rule's credentials: token_env as Bearer, else username with password_file/password_env. */
function ruleAuth(rule: Rule, env: NodeJS.ProcessEnv): RegistryAuth {
  if (rule.token_env) return env[rule.token_env] ? { token: env[rule.token_env]! } : undefined;
  if (!rule.username) return undefined;
  const basic = readCredentials({ url: rule.remote, username: rule.username, password: '', password_file: rule.password_file, password_env: rule.password_env }, env).basic!;
  const text = Buffer.from(basic.slice('Basic '.length), 'base64').toString('utf8');
  return { username: rule.username, password: text.slice(rule.username.length + 1) };
}
