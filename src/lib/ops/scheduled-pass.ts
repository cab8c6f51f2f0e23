// A scheduled pass (gc, retention) on one server of a store: every server's cron fires, the first
// to take the lease runs the pass and the others skip that tick. The lease is held for the pass
// (renewed every third of its length) and then left to expire on its own just before the next
// tick instead of being released, so a server whose clock or cron fired a little later still
// finds it held and skips. A pass that overruns the next tick keeps renewing, so that tick is
// skipped everywhere (croner's `protect` already skips it here).
import type { Leases } from '../coordination/leases.js';

export interface ScheduledPassOptions {
  leases: Leases;
  /** Lease name: one per kind of pass ("gc", "retention"). */
  name: string;
  /** Milliseconds until the next tick (croner's msToNext()); the lease lasts a little less. */
  msToNext: number | null;
  /** Schedules a renewal; returns its cancel function (tests pass a manual scheduler). */
  schedule?: (fn: () => void, ms: number) => () => void;
}

const defaultSchedule = (fn: () => void, ms: number) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** Runs `pass` when this server takes the lease; false (pass not run) when another holds it. */
export async function runScheduledPass(options: ScheduledPassOptions, pass: () => Promise<unknown>): Promise<boolean> {
  const ttl = Math.max(1000, (options.msToNext ?? 60_000) - 500);
  let lease = await options.leases.tryAcquire(options.name, ttl);
  if (!lease) return false;
  const schedule = options.schedule ?? defaultSchedule;
  let cancel = () => undefined as void;
  let running = true;
  const renew = () => {
    cancel = schedule(() => {
      void options.leases.renew(lease!, ttl).then((renewed) => {
        if (renewed) lease = renewed;
        if (running) renew();
      }, () => { if (running) renew(); });
    }, Math.max(1, Math.floor(ttl / 3)));
  };
  renew();
  try {
    await pass();
  } finally {
    running = false;
    cancel();
  }
  return true;
}
