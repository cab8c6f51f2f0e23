// Permission globs, table-driven: nested names, npm scopes, format qualifiers, org/** inheritance,
// registry-wide "" requests, admin implying everything; and the rule authorizer's subjects.
import { describe, expect, it } from 'vitest';
import type { AccessRequest, Action } from '../../../src/lib/auth/access.js';
import { parsePermission } from '../../../src/lib/auth/permission-syntax.js';
import { PermissionSet, isSubset } from '../../../src/lib/auth/permissions.js';
import { RuleAuthorizer } from '../../../src/lib/auth/rule-authorizer.js';

const req = (action: Action, format: string, name: string): AccessRequest => ({ action, format, name });

const CASES: Array<[string[], AccessRequest, boolean]> = [
  [['pull:*'], req('pull', 'oci', 'a/b/c'), true],
  [['pull:**'], req('pull', 'npm', '@s/p'), true],
  [['pull:*'], req('push', 'oci', 'a'), false],
  [['push:frontend/*'], req('push', 'oci', 'frontend/app'), true],
  [['push:frontend/*'], req('push', 'oci', 'frontend/app/sub'), false],
  [['push:frontend/**'], req('push', 'oci', 'frontend/app/sub'), true],
  [['push:frontend/**'], req('push', 'oci', 'frontend'), true],
  [['push:frontend/**'], req('push', 'oci', 'frontendx/app'), false],
  [['push:npm:@acme/*'], req('push', 'npm', '@acme/ui'), true],
  [['push:npm:@acme/*'], req('push', 'oci', '@acme/ui'), false],
  [['push:npm:@acme/*'], req('push', 'npm', '@other/ui'), false],
  [['push:npm:@acme/*'], req('push', 'npm', 'acme'), false],
  [['push:maven:com/acme/**'], req('push', 'maven', 'com/acme/lib/core'), true],
  [['push:cargo:acme-*'], req('push', 'cargo', 'acme-util'), true],
  [['push:cargo:acme-*'], req('push', 'cargo', 'util'), false],
  [['admin:*'], req('delete', 'pypi', 'x'), true],
  [['push:npm:@acme/*'], req('push', 'npm', ''), true],
  [['push:npm:@acme/*'], req('push', 'cargo', ''), false],
  [[], req('pull', 'oci', ''), false],
  [['pull:team/**', 'push:team/app'], req('push', 'oci', 'team/app'), true],
];

describe('permission globs', () => {
  it.each(CASES)('%j allows %j: %s', (permissions, request, expected) => {
    expect(new PermissionSet(permissions).allows(request)).toBe(expected);
  });

  it('refuses malformed permissions with a reason', () => {
    expect(parsePermission('fly:*')).toMatch(/action/);
    expect(parsePermission('pull:rpm:*')).toMatch(/unknown format/);
    expect(parsePermission('pull')).toMatch(/ACTION:GLOB/);
  });

  it('checks token permissions are a subset of the owner\'s', () => {
    const owner = new PermissionSet(['push:frontend/**', 'pull:*']);
    expect(isSubset(['push:frontend/app', 'pull:x'], owner)).toBeUndefined();
    expect(isSubset(['push:frontend/**'], owner)).toBeUndefined();
    expect(isSubset(['push:backend/app'], owner)).toMatch(/not among/);
    expect(isSubset(['delete:*'], owner)).toMatch(/not among/);
    expect(isSubset(['pull:npm:@acme/*', 'pull:a/**'], owner)).toBeUndefined();
    expect(isSubset(['push:npm:@acme/*'], new PermissionSet(['push:npm:@acme/*']))).toBeUndefined();
    expect(isSubset(['push:@acme/*'], new PermissionSet(['push:npm:@acme/*']))).toMatch(/not among/);
  });

  // picomatch reads `a|b` as "a or b", so a name-shaped string can name other repositories.
  it.each([
    ['push:oci:acme/x|victim', /only \*, \*\* and \?/],
    ['push:oci:acme/x|victim/app', /only \*, \*\* and \?/],
    ['push:oci:acme/{x,y}', /only \*, \*\* and \?/],
    ['push:oci:acme/@(x|y)', /only \*, \*\* and \?/],
    ['push:oci:acme/[xy]', /only \*, \*\* and \?/],
    ['push:oci:./victim', /only \*, \*\* and \?/],
    ['push:oci:acme/**', /not among/],
    ['push:oci:acme/x/*', /not among/],
    ['push:oci:acme/x/y', /not among/],
  ])('a token of push:oci:acme/* may not hold %s', (wanted, why) => {
    expect(isSubset([wanted], new PermissionSet(['push:oci:acme/*']))).toMatch(why);
  });

  it.each([
    [['push:oci:acme/*'], 'push:oci:acme/app'],
    [['push:oci:acme/*'], 'push:oci:acme/app-*'],
    [['push:oci:acme/*'], 'push:oci:acme/ap?'],
    [['push:oci:acme/**'], 'push:oci:acme/x/*'],
    [['push:oci:acme/**'], 'push:oci:acme'],
    [['push:oci:acme/{x,y}'], 'push:oci:acme/{x,y}'],
    [['push:*'], 'push:oci:anything/**'],
  ])('%j may hand out %s', (owner, wanted) => {
    expect(isSubset([wanted], new PermissionSet(owner))).toBeUndefined();
  });
});

describe('rule authorizer', () => {
  const rules = new RuleAuthorizer({
    groups: { devs: ['alice'] },
    anonymous: ['pull:public/*'],
    rules: [{ subject: 'devs', permissions: ['push:team/**'] }, { subject: '*', permissions: ['pull:team/**'] }, { subject: 'bob', permissions: ['delete:team/old'] }],
  });
  const alice = { kind: 'user' as const, name: 'alice' };
  const bob = { kind: 'user' as const, name: 'bob' };
  const anon = { kind: 'anonymous' as const, name: 'anonymous' };

  it.each([
    [alice, req('push', 'oci', 'team/a'), true],
    [bob, req('push', 'oci', 'team/a'), false],
    [bob, req('pull', 'oci', 'team/a'), true],
    [bob, req('delete', 'oci', 'team/old'), true],
    [anon, req('pull', 'oci', 'team/a'), false],
    [anon, req('pull', 'oci', 'public/x'), true],
  ])('%j: %j → %s', async (identity, request, expected) => {
    expect(await rules.authorize(identity, [request])).toBe(expected);
  });

  it('narrows tokens to their own permissions and the owner\'s rules; updates drop the cache', async () => {
    const token = { kind: 'token' as const, name: 'alice', token: { id: 'x', name: 't', permissions: ['push:team/a'], ownerRules: true } };
    expect(await rules.authorize(token, [req('push', 'oci', 'team/a')])).toBe(true);
    expect(await rules.authorize(token, [req('push', 'oci', 'team/b')])).toBe(false);
    rules.update({ groups: {}, anonymous: [], rules: [] });
    expect(await rules.authorize(token, [req('push', 'oci', 'team/a')])).toBe(false);
    expect(await rules.authorize(alice, [req('push', 'oci', 'team/a')])).toBe(false);
  });

  // Speed at this size is measured by scripts/bench/auth.mjs, never asserted here.
  it('decides correctly and repeatably at 1,000 rules', async () => {
    const many = new RuleAuthorizer({ groups: {}, anonymous: [], rules: Array.from({ length: 1000 }, (_, i) => ({ subject: i % 2 ? 'carol' : '*', permissions: [`push:org${i}/**`] })) });
    const carol = { kind: 'user' as const, name: 'carol' };
    await many.authorize(carol, [req('push', 'oci', 'org1/x')]);
    for (let i = 0; i < 200; i++) {
      // Every rule grants push only: pushes (odd i) are allowed, deletes (even i) refused.
      expect(await many.authorize(carol, [req(i % 2 ? 'push' : 'delete', 'oci', `org${i}/x`)]), `decision ${i}`).toBe(i % 2 === 1);
    }
  });
});

describe('hostile token globs', () => {
  // A token may hold "acme/*a*a*a*ab" (only `*` and `?`, inside its owner's acme/*). picomatch's
  // backtracking made one check of it against a long name take seconds; matching is now linear
  // in glob x name. Compared with a plain glob on the same name, as a ratio, not a clock limit.
  it('a backtracking-shaped glob costs about what a plain one does', () => {
    const name = `acme/${'a'.repeat(250)}`;
    const time = (glob: string) => {
      const set = new PermissionSet([`push:oci:${glob}`]);
      const start = process.hrtime.bigint();
      for (let i = 0; i < 5; i++) set.allows(req('push', 'oci', name));
      return Number(process.hrtime.bigint() - start);
    };
    time('acme/*');
    const plain = Math.max(time('acme/*b'), 50_000);
    const hostile = time('acme/*a*a*a*ab');
    expect(new PermissionSet(['push:oci:acme/*a*a*a*ab']).allows(req('push', 'oci', name))).toBe(false);
    expect(new PermissionSet(['push:oci:acme/*a*a*a*ab']).allows(req('push', 'oci', `${name}b`))).toBe(true);
    expect(hostile / plain).toBeLessThan(100);
  });
});
