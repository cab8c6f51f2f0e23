// Pull tracking: when each tag/version was last pulled and how often. Pulls are counted in
// memory and written in batches (every `flushEveryMs`, on shutdown, or early when many are
// pending), never one store write per pull. Each name has one document, pulls/<format>/<name>/
// _pulls.json, and a flush merges this process's increments into it by compare-and-swap, so
// several servers on one store add up instead of overwriting each other. A failed flush keeps
// its increments for the next one. Format services read it (listVersions) through `read`.
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, updateDocument } from '../storage/documents.js';
import type { EventBus } from '../events/bus.js';

export interface PullStats {
  count: number;
  /** ISO time of the latest pull. */
  last: string;
}

/** Stats per reference (tag, version, file or digest, as the format's pull event names it). */
export type PullRecord = Record<string, PullStats>;

interface PullDocument { refs: PullRecord }

interface Pending { count: number; last: number }

export interface PullTrackerOptions {
  store: ObjectStore;
  /** Pending references that trigger an early flush (bounds memory under a pull storm). */
  maxPending?: number;
  onError?: (error: unknown) => void;
}

const ROOT = 'pulls/';
const keyOf = (format: string, name: string) => `${ROOT}${format}/${name}/_pulls.json`;
const SEP = '\u0000';

export class PullTracker {
  private pending = new Map<string, Map<string, Pending>>();
  private size = 0;
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PullTrackerOptions) {}

  /** Counts one pull of `reference` of `name` at `at`. */
  record(format: string, name: string, reference: string, at: Date): void {
    const id = `${format}${SEP}${name}`;
    let refs = this.pending.get(id);
    if (!refs) this.pending.set(id, (refs = new Map()));
    const entry = refs.get(reference);
    if (entry) {
      entry.count++;
      entry.last = Math.max(entry.last, at.getTime());
    } else {
      refs.set(reference, { count: 1, last: at.getTime() });
      if (++this.size >= (this.options.maxPending ?? 10_000)) void this.flush();
    }
  }

  /** Counts every ArtifactPulled event (by its reference, else its digest). */
  follow(events: EventBus): () => void {
    return events.subscribe((event) => {
      if (event.type !== 'ArtifactPulled') return;
      const reference = event.artifact.reference ?? event.artifact.digest;
      if (reference) this.record(event.artifact.format, event.artifact.name, reference, event.at);
    });
  }

  /** Flushes every `everyMs` until stop(); the timer never keeps the process alive. */
  start(everyMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.flush(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Writes what is pending; resolves once it (and any flush before it) is in the store. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.size = 0;
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  /** Stored stats of `name` with this process's pending pulls added. */
  async read(format: string, name: string): Promise<PullRecord> {
    let stored: PullRecord = {};
    try {
      stored = (await readDocument<PullDocument>(this.options.store, keyOf(format, name)))?.value.refs ?? {};
    } catch (error) {
      this.options.onError?.(error);
    }
    return merge(stored, this.pending.get(`${format}${SEP}${name}`));
  }

  private async write(batch: Map<string, Map<string, Pending>>): Promise<void> {
    for (const [id, refs] of batch) {
      const [format, name] = id.split(SEP) as [string, string];
      try {
        await updateDocument<PullDocument>(this.options.store, keyOf(format, name), (current) => ({ refs: merge(current?.refs ?? {}, refs) }));
      } catch (error) {
        this.options.onError?.(error);
        this.keep(id, refs);
      }
    }
  }

  /** Puts back increments a failed flush could not write. */
  private keep(id: string, refs: Map<string, Pending>): void {
    let into = this.pending.get(id);
    if (!into) this.pending.set(id, (into = new Map()));
    for (const [reference, delta] of refs) {
      const entry = into.get(reference);
      if (entry) {
        entry.count += delta.count;
        entry.last = Math.max(entry.last, delta.last);
      } else {
        into.set(reference, { ...delta });
        this.size++;
      }
    }
  }
}

/** `stored` plus `delta`: counts add up, the latest time wins. */
function merge(stored: PullRecord, delta: Map<string, Pending> | undefined): PullRecord {
  if (!delta) return stored;
  const out: PullRecord = { ...stored };
  for (const [reference, d] of delta) {
    const before = out[reference];
    const last = Math.max(d.last, before ? Date.parse(before.last) : 0);
    out[reference] = { count: (before?.count ?? 0) + d.count, last: new Date(last).toISOString() };
  }
  return out;
}

/** Sum of several references' stats (an OCI tag and its digest, an npm version and its file). */
export function combine(record: PullRecord, references: string[]): { pulls: number; lastPulled?: string } {
  let pulls = 0;
  let last = 0;
  for (const reference of references) {
    const stats = record[reference];
    if (!stats) continue;
    pulls += stats.count;
    last = Math.max(last, Date.parse(stats.last));
  }
  return last > 0 ? { pulls, lastPulled: new Date(last).toISOString() } : { pulls };
}
