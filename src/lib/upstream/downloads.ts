// Single-flight downloads: at most one upstream download per key (a digest, a path) at a time,
// which every client asking meanwhile joins and streams from (see blob-flight.ts). The key is
// freed the moment the download settles, before any reader hears of it, so a client that retries
// after a failure starts a fresh download instead of joining the failed one.
import type { Readable } from 'node:stream';
import { BlobFlight, type FlightOptions } from './blob-flight.js';

/** How a new download begins: the upstream body and how to store and reread it. */
export type DownloadPlan = Omit<FlightOptions, 'windowBytes' | 'onSettle'> & { source: Readable };

/** Recent bytes of a download kept for readers that join or lag (per download). */
const WINDOW_BYTES = 16 * 1024 * 1024;

export class Downloads {
  private readonly running = new Map<string, Promise<BlobFlight | undefined>>();

  constructor(private readonly windowBytes = WINDOW_BYTES) {}

  /** The download running for `key`, if any. */
  get(key: string): Promise<BlobFlight | undefined> | undefined {
    return this.running.get(key);
  }

  /**
   * Joins the download running for `key`, or starts one with `begin` (which asks the upstream;
   * undefined when there is nothing to download, e.g. a 404). A failure of `begin` reaches every
   * caller that joined before it; the next caller begins again.
   */
  join(key: string, begin: () => Promise<DownloadPlan | undefined>): Promise<BlobFlight | undefined> {
    const running = this.running.get(key);
    if (running) return running;
    const forget = () => { if (this.running.get(key) === started) this.running.delete(key); };
    const started = begin().then((plan) => {
      if (!plan) return undefined;
      const { source, ...options } = plan;
      return new BlobFlight(source, { ...options, windowBytes: this.windowBytes, onSettle: forget });
    });
    this.running.set(key, started);
    started.then((flight) => { if (!flight) forget(); }, forget);
    return started;
  }
}
