// The [[replication]] rules inside `nora serve`: each push of a matching tag (TagCreated) and,
// with `delete`, each tag deletion is queued in the store (coordination/durable-queue.ts), so a
// restart or a crash loses nothing and several servers on one store do each item once; a worker
// loop claims items and copies them to the rule's remote (copier.ts, the same path as `nora
// replicate`). A failure is logged once with its reason and the item retried with backoff; after
// the queue's attempts it is kept as dead, listed with its reason in the status. A trigger =
// "schedule" rule instead runs a full pass (replicate.ts) on its cron, pushing or pulling, under a
// lease in the store so one server of several runs each pass.
import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import picomatch from 'picomatch';
import type { NoraConfig } from '../../../config/schema.js';
import { DurableQueue } from '../../../coordination/durable-queue.js';
import { Leases } from '../../../coordination/leases.js';
import type { QueueItem } from '../../../coordination/queue-item.js';
import type { Services } from '../../../services.js';
import { readCredentials } from '../../../upstream/credentials.js';
import { Copier } from '../copier.js';
import { parseSelection } from '../filters.js';
import type { Location } from '../location.js';
import { replicate } from '../replicate.js';
import { LocalEndpoint } from '../local-endpoint.js';
import { RegistryEndpoint, type RegistryAuth } from '../registry-endpoint.js';
import { ruleMetrics, type RuleMetrics } from './rule-metrics.js';

type Rule = NoraConfig['replication'][number];

export interface ReplicationItem { op: 'copy' | 'delete'; repo: string; tag: string; digest?: string }

export interface RuleStatus {
  name: string;
  remote: string;
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
  copier: Copier;
  repo: (name: string) => boolean;
  tag: (tag: string) => boolean;
  busy: boolean;
  copied: number;
  failed: number;
  bytes: number;
  lastRun?: string;
  lastError?: string;
  cron?: Cron;
  lastPass: RuleStatus['failures'];
}

const CLAIM_LEASE_MS = 10 * 60_000;
const BATCH = 4;

export class ReplicationRunner {
  private readonly rules: RuleState[];
  private readonly metrics: RuleMetrics;
  private readonly leases: Leases;
  private readonly local: LocalEndpoint;
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly services: Services, private readonly log: RunnerLog, private readonly options: { pollMs?: number; backoffBaseMs?: number; env?: NodeJS.ProcessEnv } = {}) {
    this.metrics = ruleMetrics(services.metrics);
    this.leases = new Leases(services.store);
    const local = new LocalEndpoint(services.formats.oci);
    this.local = local;
    this.rules = services.config.replication.map((rule) => {
      const remote = new RegistryEndpoint({ base: rule.remote.replace(/\/+$/, ''), auth: ruleAuth(rule, options.env ?? process.env), timeoutMs: 60_000, maxConcurrency: 8 });
      const state: RuleState = {
        rule,
        queue: new DurableQueue<ReplicationItem>(services.store, `replication-${rule.name}`, { backoff: { baseMs: options.backoffBaseMs ?? 2000, maxMs: 15 * 60_000 } }),
        remote,
        copier: new Copier({
          source: local, dest: remote, selection: { name: () => true, tag: () => true }, referrers: false, dryRun: false, concurrency: 2,
          // The queue retries with its backoff; one attempt per claim here.
          retry: (_what, step) => step(),
          emit: (event) => { if (event.type === 'blob' && event.status === 'copied') { state.bytes += event.size; this.metrics.bytes.inc({ rule: rule.name }, event.size); } },
        }),
        repo: rule.filter.length ? ((m) => (n: string) => m.some((f) => f(n)))(rule.filter.map((g) => picomatch(g))) : () => true,
        tag: rule.tags ? picomatch(rule.tags) : () => true,
        busy: false, copied: 0, failed: 0, bytes: 0, lastPass: [],
      };
      return state;
    });
  }

  /** Subscribes to pushes and deletions and starts the worker loop (nothing without rules). */
  start(): void {
    if (this.rules.length === 0) return;
    for (const state of this.rules) {
      if (state.rule.trigger !== 'schedule') continue;
      state.cron = new Cron(state.rule.schedule, { protect: true }, () => this.pass(state));
    }
    this.unsubscribe = this.services.events.subscribe((event) => {
      const { artifact } = event;
      if (artifact.format !== 'oci' || !artifact.reference) return;
      for (const state of this.rules) {
        if (state.rule.trigger !== 'event') continue;
        if (!state.repo(artifact.name) || !state.tag(artifact.reference)) continue;
        if (event.type === 'TagCreated') void this.enqueue(state, { op: 'copy', repo: artifact.name, tag: artifact.reference, ...(artifact.digest ? { digest: artifact.digest } : {}) });
        else if (event.type === 'ArtifactDeleted' && state.rule.delete) void this.enqueue(state, { op: 'delete', repo: artifact.name, tag: artifact.reference, ...(artifact.digest ? { digest: artifact.digest } : {}) });
      }
    });
    if (!this.rules.some((s) => s.rule.trigger === 'event')) return;
    this.timer = setInterval(() => this.pump(), this.options.pollMs ?? 2000);
    this.timer.unref();
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    for (const state of this.rules) state.cron?.stop();
    await Promise.all(this.rules.map((s) => s.remote.close()));
  }

  /** Per rule: waiting items, counts since start, last run and error, failures with reasons. */
  async status(): Promise<RuleStatus[]> {
    const now = Date.now();
    return Promise.all(this.rules.map(async (state) => {
      const waiting: QueueItem<ReplicationItem>[] = [];
      const dead: QueueItem<ReplicationItem>[] = [];
      for (const [list, query] of [[waiting, 'pending'], [waiting, 'claimed'], [dead, 'dead']] as const) {
        let cursor: string | undefined;
        do {
          const page = await state.queue.list({ state: query, limit: 500, ...(cursor ? { cursor } : {}) });
          list.push(...page.items);
          cursor = page.cursor;
        } while (cursor && list.length < 5000);
      }
      const oldest = waiting.reduce<number | undefined>((min, i) => (min === undefined || i.enqueuedAt < min ? i.enqueuedAt : min), undefined);
      this.metrics.pending.set({ rule: state.rule.name }, waiting.length);
      this.metrics.lag.set({ rule: state.rule.name }, oldest === undefined ? 0 : (now - oldest) / 1000);
      const failures = [...[...waiting.filter((i) => i.lastError), ...dead].map((i) => ({ id: i.id, item: i.payload, attempts: i.attempts, reason: i.lastError ?? '', state: i.state === 'dead' ? 'dead' as const : 'pending' as const })), ...state.lastPass];
      return {
        name: state.rule.name, remote: state.remote.label, pending: waiting.length, ...(oldest !== undefined ? { oldestPending: new Date(oldest).toISOString() } : {}),
        copied: state.copied, failed: state.failed, bytes: state.bytes,
        ...(state.lastRun ? { lastRun: state.lastRun } : {}), ...(state.lastError ? { lastError: state.lastError } : {}), failures,
      };
    }));
  }

  /** One full pass of a schedule rule, unless another server holds its lease. */
  private async pass(state: RuleState): Promise<void> {
    const { rule } = state;
    const remote = new URL(rule.remote);
    const registry: Location = { kind: 'registry', base: remote.origin, host: remote.host, path: '', glob: false, url: true };
    const local: Location = { kind: 'local', prefix: '' };
    const [from, to]: [Location, Location] = rule.direction === 'pull'
      ? [registry, { kind: 'local', prefix: rule.dest_prefix }]
      : [local, { ...registry, path: rule.dest_prefix.replace(/\/$/, '') }];
    try {
      await this.leases.runExclusive(`replication-${rule.name}`, 30 * 60_000, async () => {
        state.lastRun = new Date().toISOString();
        const started = performance.now();
        const summary = await replicate({
          from, to, source: rule.direction === 'pull' ? state.remote : this.local, dest: rule.direction === 'pull' ? this.local : state.remote,
          selection: parseSelection({ filter: rule.filter, ...(rule.tags ? { tags: rule.tags } : {}) }, Date.now()),
          referrers: false, dryRun: false, concurrency: 2,
          retry: { attempts: 3, maxTimeMs: 5 * 60_000, baseMs: 1000, now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random },
          emit: (event) => { if (event.type === 'blob' && event.status === 'copied') { state.bytes += event.size; this.metrics.bytes.inc({ rule: rule.name }, event.size); } },
        });
        this.metrics.duration.observe({ rule: rule.name, kind: 'pass' }, (performance.now() - started) / 1000);
        state.copied += summary.copied;
        state.failed += summary.failed;
        this.metrics.items.inc({ rule: rule.name, outcome: 'copied' }, summary.copied);
        this.metrics.items.inc({ rule: rule.name, outcome: 'failed' }, summary.failed);
        state.lastPass = summary.failures.map((f) => {
          const [repo, tag] = f.artifact.split(/:(?=[^:/]*$)/);
          return { id: f.artifact, item: { op: 'copy', repo: repo ?? f.artifact, tag: tag ?? '' }, attempts: 1, reason: f.reason, state: 'last-pass' };
        });
        if (summary.failures[0]) {
          state.lastError = summary.failures[0].reason;
          for (const f of summary.failures) this.log.warn({ rule: rule.name, artifact: f.artifact, reason: f.reason }, 'replication failed');
        }
        this.log.info({ rule: rule.name, direction: rule.direction, copied: summary.copied, skipped: summary.skipped, failed: summary.failed, bytes: summary.bytes }, 'replication pass');
      });
    } catch (error) {
      state.lastError = (error as Error).message;
      this.log.warn({ rule: rule.name, reason: state.lastError }, 'replication failed');
    }
  }

  private async enqueue(state: RuleState, item: ReplicationItem): Promise<void> {
    const id = createHash('sha256').update(JSON.stringify([item.op, item.repo, item.tag, item.digest ?? ''])).digest('hex').slice(0, 32);
    try {
      await state.queue.enqueue(item, { id });
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
      void this.drain(state).finally(() => { state.busy = false; });
    }
  }

  private async drain(state: RuleState): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      let items: QueueItem<ReplicationItem>[];
      try {
        items = await state.queue.claim(BATCH, CLAIM_LEASE_MS);
      } catch (error) {
        this.log.warn({ rule: state.rule.name, err: (error as Error).message }, 'replication queue unavailable');
        return;
      }
      if (items.length === 0) return;
      await Promise.all(items.map((item) => this.run(state, item)));
    }
  }

  private async run(state: RuleState, item: QueueItem<ReplicationItem>): Promise<void> {
    const { rule } = state;
    const { op, repo, tag } = item.payload;
    const target = `${rule.dest_prefix}${repo}`;
    state.lastRun = new Date().toISOString();
    const started = performance.now();
    try {
      let outcome: string;
      if (op === 'copy') {
        const present = await state.copier.copy(repo, target, tag).then(() => true, (error: unknown) => {
          if ((error as { code?: unknown }).code === 'REPLICATE_SOURCE_MISSING') return false;
          throw error;
        });
        outcome = present ? 'copied' : 'gone';
        if (present) state.copied++;
      } else {
        outcome = (await state.remote.deleteTag(target, tag)) ? 'deleted' : 'gone';
      }
      await state.queue.complete(item, { outcome });
      this.metrics.items.inc({ rule: rule.name, outcome });
      this.log.info({ rule: rule.name, op, repo, tag, target, outcome }, 'replicated');
    } catch (error) {
      const reason = (error as Error).message;
      state.failed++;
      state.lastError = reason;
      this.metrics.items.inc({ rule: rule.name, outcome: 'failed' });
      const next = await state.queue.fail(item, reason).catch(() => 'lost' as const);
      this.log.warn({ rule: rule.name, op, repo, tag, attempt: item.attempts, next, reason }, 'replication failed');
    } finally {
      this.metrics.duration.observe({ rule: rule.name, kind: 'item' }, (performance.now() - started) / 1000);
    }
  }
}

/** A rule's credentials: token_env as Bearer, else username with password_file/password_env. */
function ruleAuth(rule: Rule, env: NodeJS.ProcessEnv): RegistryAuth {
  if (rule.token_env) return env[rule.token_env] ? { token: env[rule.token_env]! } : undefined;
  if (!rule.username) return undefined;
  const basic = readCredentials({ url: rule.remote, username: rule.username, password: '', password_file: rule.password_file, password_env: rule.password_env }, env).basic!;
  const text = Buffer.from(basic.slice('Basic '.length), 'base64').toString('utf8');
  return { username: rule.username, password: text.slice(rule.username.length + 1) };
}
