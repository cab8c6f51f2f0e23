// API token expiry on an injected clock: a token works until its expiry and not a millisecond
// after; a token created without a TTL never expires.
import { describe, expect, it } from 'vitest';
import { TokenStore } from '../../../src/lib/auth/tokens.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';

const HOUR = 3_600_000;

describe('TokenStore expiry', () => {
  it('refuses a token from its expiry on, and keeps one without a TTL', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const tokens = new TokenStore(new MemoryStore(), () => now);
    const expiring = await tokens.create({ name: 'ci', owner: 'alice', permissions: ['pull:*'], ttlMs: HOUR });
    const forever = await tokens.create({ name: 'bot', owner: 'alice', permissions: ['pull:*'], ttlMs: 0 });
    expect(expiring.record.expires).toBe('2030-01-01T01:00:00.000Z');
    expect(forever.record.expires).toBeNull();

    now += HOUR - 1;
    expect(await tokens.lookup(expiring.token)).toMatchObject({ name: 'ci' });
    now += 1;
    expect(await tokens.lookup(expiring.token)).toBeUndefined();
    now += 1000 * HOUR;
    expect(await tokens.lookup(forever.token)).toMatchObject({ name: 'bot' });
  });
});
