// The npm upstream cache's clock: a packument is served from the cache for metadata_ttl, then
// revalidated with its ETag (304 keeps the copy, a change replaces it), and served stale once the
// upstream is gone. The clock is faked (Date only; timers and sockets stay real), so no step
// waits for the TTL to pass.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-npm-upstream.js';
import { tarballBytes } from '../../helpers/npm-fixtures.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp | undefined;
let upstream: FakeUpstream | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await t?.close();
  await upstream?.close();
  t = undefined;
  upstream = undefined;
});

const MINUTE = 60_000;

describe('npm upstream metadata_ttl', () => {
  it('serves the cached packument within the TTL, revalidates after it, and serves it stale when the upstream is gone', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const bytes = tarballBytes('cached', 20_000);
    const packages = { '@up/cached': { versions: { '1.0.0': bytes } as Record<string, Buffer> } };
    upstream = await startFakeUpstream({ packages, etags: true });
    t = await buildTestApp({ settings: { 'npm.upstream': upstream.url, 'npm.metadata_ttl': '1m' } });
    const get = async () => {
      const response = await t!.app.inject({ url: '/npm/@up%2fcached' });
      return { cache: response.headers['x-nora-cache'], versions: Object.keys(response.json<{ versions: Record<string, unknown> }>().versions) };
    };

    expect(await get()).toEqual({ cache: 'miss', versions: ['1.0.0'] });
    vi.advanceTimersByTime(MINUTE - 1000);
    expect(await get()).toEqual({ cache: 'hit', versions: ['1.0.0'] });
    expect(upstream.packumentStatuses).toEqual(['@up/cached 200']);

    vi.advanceTimersByTime(2000);
    expect(await get()).toEqual({ cache: 'revalidated', versions: ['1.0.0'] });
    expect(upstream.packumentStatuses).toEqual(['@up/cached 200', '@up/cached 304']);

    packages['@up/cached'].versions['1.1.0'] = tarballBytes('cached 1.1', 1000);
    expect((await get()).versions).toEqual(['1.0.0']);
    vi.advanceTimersByTime(MINUTE + 1);
    expect((await get()).versions).toEqual(['1.0.0', '1.1.0']);
    expect(upstream.packumentStatuses.at(-1)).toBe('@up/cached 200');

    const tarball = `/npm/@up/cached/-/cached-1.0.0.tgz`;
    expect((await t.app.inject({ url: tarball })).headers['x-nora-cache']).toBe('miss');
    await upstream.close();
    upstream = undefined;
    expect(await get()).toMatchObject({ cache: 'hit' });
    vi.advanceTimersByTime(MINUTE + 1);
    expect(await get()).toEqual({ cache: 'stale', versions: ['1.0.0', '1.1.0'] });
    const stale = await t.app.inject({ url: tarball });
    expect([stale.statusCode, stale.rawPayload.equals(bytes)]).toEqual([200, true]);
  });
});
