// Failed-login throttling on an injected clock (issue 13 item 7): a user name is throttled per
// client address, so an attacker elsewhere cannot lock its owner out (unless lockout = "user");
// an address is throttled across user names; IPv6 counts by /64; a flood of names stays bounded.
import { describe, expect, it } from 'vitest';
import { LoginLimiter, addressKey, type LimiterOptions } from '../../../src/lib/auth/rate-limit.js';

function limiter(options: Partial<LimiterOptions> = {}) {
  const clock = { now: 1_000_000 };
  const limits = new LoginLimiter({ rps: 1, burst: 10, addressBurst: 100, lockout: 'user_address', now: () => clock.now, ...options });
  return { limits, clock };
}

const failTimes = (limits: LoginLimiter, n: number, address: string, user?: string) => {
  for (let i = 0; i < n; i++) limits.fail({ address, ...(user !== undefined ? { user } : {}) });
};

describe('login limiter', () => {
  it('throttles a user name at the address that failed, and forgives one failure a second', () => {
    const { limits, clock } = limiter();
    failTimes(limits, 9, '198.51.100.66', 'victim');
    expect(limits.blocked({ address: '198.51.100.66', user: 'victim' })).toBe(0);
    failTimes(limits, 1, '198.51.100.66', 'victim');
    expect(limits.blocked({ address: '198.51.100.66', user: 'victim' })).toBe(1);
    clock.now += 999;
    expect(limits.blocked({ address: '198.51.100.66', user: 'victim' })).toBe(1);
    clock.now += 1;
    expect(limits.blocked({ address: '198.51.100.66', user: 'victim' })).toBe(0);
  });

  it.each([
    ['user_address', 0],
    ['user', 1],
  ] as const)('lockout = %s: an attacker guessing twice a second for an hour locks the victim elsewhere out for %i s', (lockout, wait) => {
    const { limits, clock } = limiter({ lockout });
    const attacker = { address: '198.51.100.66', user: 'victim' };
    for (let tick = 0; tick < 7200; tick++) {
      clock.now += 500;
      if (limits.blocked(attacker) === 0) limits.fail(attacker);
    }
    expect(limits.blocked(attacker)).toBe(1);
    expect(limits.blocked({ address: '203.0.113.7', user: 'victim' })).toBe(wait);
  });

  it('with lockout = "user" a user name is throttled from every address (the documented trade-off)', () => {
    const { limits } = limiter({ lockout: 'user' });
    for (let i = 0; i < 10; i++) limits.fail({ address: `198.51.100.${i}`, user: 'victim' });
    expect(limits.blocked({ address: '203.0.113.7', user: 'victim' })).toBe(1);
    expect(limits.blocked({ address: '203.0.113.7', user: 'other' })).toBe(0);
  });

  it('throttles one address across user names and tokens at address_burst', () => {
    const { limits } = limiter({ addressBurst: 25 });
    for (let i = 0; i < 24; i++) limits.fail({ address: '198.51.100.66', user: `user-${i}` });
    expect(limits.blocked({ address: '198.51.100.66', user: 'fresh' })).toBe(0);
    limits.fail({ address: '198.51.100.66' });
    expect(limits.blocked({ address: '198.51.100.66', user: 'fresh' })).toBe(1);
    expect(limits.blocked({ address: '198.51.100.66' })).toBe(1);
    expect(limits.blocked({ address: '198.51.100.67' })).toBe(0);
  });

  it('counts an IPv6 client by its /64', () => {
    const { limits } = limiter();
    failTimes(limits, 5, '2001:db8:1:2::1', 'victim');
    failTimes(limits, 5, '2001:db8:1:2:ffff:ffff:ffff:fffe', 'victim');
    expect(limits.blocked({ address: '2001:db8:1:2::99', user: 'victim' })).toBe(1);
    expect(limits.blocked({ address: '2001:db8:1:3::1', user: 'victim' })).toBe(0);
  });

  it('waits an hour when nothing is ever forgiven (auth_rps = 0)', () => {
    const { limits } = limiter({ rps: 0 });
    failTimes(limits, 10, '198.51.100.66', 'victim');
    expect(limits.blocked({ address: '198.51.100.66', user: 'victim' })).toBe(3600);
  });

  it('keeps memory bounded under a flood of 10 KB user names, and a throttled address stays throttled', () => {
    const { limits } = limiter({ maxBuckets: 1000, addressBurst: 10_000 });
    failTimes(limits, 10, '198.51.100.66', 'victim');
    for (let i = 0; i < 5000; i++) limits.fail({ address: `203.0.${i % 250}.${Math.floor(i / 250)}`, user: `${'x'.repeat(10_000)}${i}` });
    expect(limits.size).toBeLessThanOrEqual(1000);
    expect(limits.blocked({ address: '198.51.100.66', user: 'victim' })).toBe(1);
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
