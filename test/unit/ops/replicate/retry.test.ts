import { describe, expect, it } from 'vitest';
import { withRetry } from '../../../../src/lib/ops/replicate/retry.js';
import { UpstreamErrors } from '../../../../src/lib/upstream/errors.js';

const site = { label: 'r', upstream: 'http://r' };

function clock() {
  let now = 0;
  const waits: number[] = [];
  return { waits, policy: { attempts: 5, maxTimeMs: 60_000, baseMs: 1000, now: () => now, sleep: async (ms: number) => { waits.push(ms); now += ms; }, random: () => 0.5 } };
}

describe('withRetry', () => {
  it('backs off exponentially (with jitter) on transient failures, then succeeds', async () => {
    const { waits, policy } = clock();
    let calls = 0;
    const value = await withRetry(async () => {
      if (++calls < 4) throw UpstreamErrors.UNAVAILABLE(site, 'status 503');
      return 'ok';
    }, policy);
    expect(value).toBe('ok');
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('waits a 429\'s Retry-After instead of its backoff', async () => {
    const { waits, policy } = clock();
    let calls = 0;
    await withRetry(async () => {
      if (++calls === 1) throw UpstreamErrors.RATE_LIMITED(site, 7);
    }, policy);
    expect(waits).toEqual([7000]);
  });

  it('stops at the attempt cap and throws the last failure', async () => {
    const { waits, policy } = clock();
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw UpstreamErrors.TIMEOUT(site, 10); }, { ...policy, attempts: 3 })).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('does not start a wait that would pass the time cap', async () => {
    const { waits, policy } = clock();
    await expect(withRetry(async () => { throw UpstreamErrors.RATE_LIMITED(site, 120); }, policy)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
    expect(waits).toEqual([]);
  });

  it('never retries a refusal', async () => {
    const { policy } = clock();
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw UpstreamErrors.DENIED(site, 401); }, policy)).rejects.toMatchObject({ code: 'UPSTREAM_DENIED' });
    expect(calls).toBe(1);
  });
});
