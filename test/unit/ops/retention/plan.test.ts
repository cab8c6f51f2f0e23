// The retention planner over hand-made listings: every condition, how conditions combine, which
// rule decides, and what is always kept.
import { describe, expect, it } from 'vitest';
import { daysAgo, gone, named, plan, rule, tags, unit } from './fixtures.js';

describe('retention conditions', () => {
  it('keep_last keeps the newest N by push time', () => {
    const result = plan([rule('*/dev-*', { keepLast: 2 })], [named('oci', 'app', tags('dev-', 5))]);
    expect(gone(result)).toEqual(['dev-3', 'dev-4', 'dev-5']);
    expect(result.decisions[0]!.reason).toBe('keep_last = 2: 3rd newest');
    expect(result.decisions[0]).toMatchObject({ format: 'oci', name: 'app', kind: 'tag', rule: 0, match: '*/dev-*', action: 'delete' });
  });

  it('older_than deletes what was pushed longer ago', () => {
    const result = plan([rule('**/*', { olderThanMs: 3 * 86_400_000 })], [named('npm', 'lib', tags('1.0.', 5))]);
    expect(gone(result)).toEqual(['1.0.4', '1.0.5']);
    expect(result.decisions[0]!.reason).toBe('older_than = 3d: pushed 4d ago');
  });

  it('not_pulled_for measures from the last pull, or from the push when never pulled', () => {
    const units = [unit('1.0.0', 30, { lastPulled: daysAgo(1) }), unit('1.1.0', 30), unit('1.2.0', 2), unit('2.0.0', 1)];
    const result = plan([rule('*/*', { notPulledForMs: 7 * 86_400_000 })], [named('cargo', 'crate', units)]);
    expect(gone(result)).toEqual(['1.1.0']);
    expect(result.decisions[0]!.reason).toBe('not_pulled_for = 7d: never pulled, pushed 30d ago');
    expect(result.decisions[0]!.action).toBe('yank');
  });

  it('keep_last_pulled keeps the N most recently pulled; never pulled ranks last', () => {
    const units = [unit('a', 9, { lastPulled: daysAgo(1) }), unit('b', 8, { lastPulled: daysAgo(5) }), unit('c', 7), unit('d', 1)];
    const result = plan([rule('*/*', { keepLastPulled: 2 })], [named('pypi', 'proj', units)]);
    expect(gone(result)).toEqual(['c']);
    expect(result.decisions[0]!.reason).toBe('keep_last_pulled = 2: never pulled');
  });

  it('deletes only when every condition of the rule says so', () => {
    // keep_last 2 alone would delete dev-3..5; older_than 4d alone dev-5; together only dev-5.
    const result = plan([rule('*/dev-*', { keepLast: 2, olderThanMs: 4 * 86_400_000 })], [named('oci', 'app', tags('dev-', 5))]);
    expect(gone(result)).toEqual(['dev-5']);
    expect(result.decisions[0]!.reason).toBe('keep_last = 2: 5th newest; older_than = 4d: pushed 5d ago');
  });

  it('a rule without conditions keeps what it matches, and the first matching rule decides', () => {
    const rules = [rule('app/dev-1*', {}), rule('*/dev-*', { keepLast: 1 })];
    const result = plan(rules, [named('oci', 'app', tags('dev-', 12))]);
    // dev-1, dev-10, dev-11, dev-12 match the first rule and are kept; dev-2 is the second rule's newest.
    expect(gone(result)).toEqual(['dev-3', 'dev-4', 'dev-5', 'dev-6', 'dev-7', 'dev-8', 'dev-9']);
    expect(result.decisions.every((d) => d.rule === 1)).toBe(true);
  });

  it('keeps what no rule matches, and a format filter narrows a rule', () => {
    const rules = [rule('**/*', { keepLast: 1, format: 'npm' })];
    const result = plan(rules, [named('oci', 'app', tags('v', 3)), named('npm', 'lib', tags('1.0.', 3))]);
    expect(gone(result)).toEqual(['1.0.2', '1.0.3']);
    expect(result.kept).toBe(4);
  });

  it('name globs: * is one segment, ** any', () => {
    const names = [named('oci', 'app', tags('pr-', 2)), named('oci', 'team/app', tags('pr-', 2)), named('oci', 'a/b/c', tags('pr-', 2))];
    expect(plan([rule('*/pr-*', { keepLast: 1 })], names).decisions.map((d) => d.name)).toEqual(['app']);
    expect(plan([rule('**/pr-*', { keepLast: 1 })], names).decisions.map((d) => d.name)).toEqual(['app', 'team/app', 'a/b/c']);
  });
});

describe('always kept', () => {
  it('protect globs', () => {
    const units = [unit('latest', 10), unit('v1.0', 9), unit('v2.0', 8), unit('dev', 7), unit('new', 1)];
    expect(gone(plan([rule('*/*', { keepLast: 1, protect: ['latest', 'v*'] })], [named('oci', 'app', units)]))).toEqual(['dev']);
  });

  it('protected tags are not counted by keep_last (it keeps the newest N of the rest); dist-tagged npm versions are', () => {
    const units = [unit('latest', 1), unit('v1.0', 2), unit('dev-1', 3), unit('dev-2', 4), unit('dev-3', 5)];
    expect(gone(plan([rule('*/*', { keepLast: 2, protect: ['latest', 'v*'] })], [named('oci', 'app', units)]))).toEqual(['dev-3']);
    const versions = [unit('3.0.0', 1, { tags: ['latest'] }), unit('2.0.0', 2), unit('1.0.0', 3), unit('0.1.0', 4, { tags: ['legacy'] }), unit('0.0.1', 5)];
    expect(gone(plan([rule('*/*', { keepLast: 2 })], [named('npm', 'lib', versions)]))).toEqual(['1.0.0', '0.0.1']);
    expect(gone(plan([rule('*/*', { keepLast: 2, protect: ['0.1.0'] })], [named('npm', 'lib', versions)]))).toEqual(['1.0.0', '0.0.1']);
    expect(gone(plan([rule('*/*', { keepLast: 2, protect: ['3.*'] })], [named('npm', 'lib', versions)]))).toEqual(['0.0.1']);
  });

  it('npm versions a dist-tag names', () => {
    const units = [unit('1.0.0', 10, { tags: ['legacy'] }), unit('1.1.0', 9), unit('2.0.0', 1, { tags: ['latest'] })];
    expect(gone(plan([rule('*/*', { keepLast: 0, allowEmpty: true })], [named('npm', 'lib', units)]))).toEqual(['1.1.0']);
  });

  it('the newest version unless allow_empty', () => {
    const units = tags('1.0.', 3);
    expect(gone(plan([rule('*/*', { olderThanMs: 1 })], [named('npm', 'lib', units)]))).toEqual(['1.0.2', '1.0.3']);
    expect(gone(plan([rule('*/*', { olderThanMs: 1, allowEmpty: true })], [named('npm', 'lib', units)]))).toEqual(['1.0.1', '1.0.2', '1.0.3']);
  });
});

describe('per format', () => {
  it('Cargo yanks by default, deletes with action = "delete", and skips crates already yanked', () => {
    const units = [unit('0.1.0', 9, { yanked: true }), unit('0.2.0', 8), unit('0.3.0', 1)];
    const yank = plan([rule('*/*', { keepLast: 1 })], [named('cargo', 'c', units)]);
    expect(yank.decisions.map((d) => [d.reference, d.action])).toEqual([['0.2.0', 'yank']]);
    expect(yank.bytes).toBe(0);
    const del = plan([rule('*/*', { keepLast: 1, action: 'delete' })], [named('cargo', 'c', units)]);
    expect(del.decisions.map((d) => [d.reference, d.action])).toEqual([['0.1.0', 'delete'], ['0.2.0', 'delete']]);
  });

  it('Maven counts timestamped builds per SNAPSHOT version and releases per artifact', () => {
    const build = (id: string, days: number) => ({ build: id, pushed: daysAgo(days), size: 10, blobs: [{ digest: `sha256:${id}`, size: 10 }], pulls: 0 });
    const snapshot = unit('1.1-SNAPSHOT', 1, { builds: [build('20260520.000000-1', 12), build('20260525.000000-2', 7), build('20260531.000000-3', 1)] });
    const units = [unit('1.0', 30), unit('1.0.1', 20), snapshot];
    const result = plan([rule('**/*', { keepLast: 1 })], [named('maven', 'org.example:lib', units)]);
    expect(gone(result)).toEqual(['1.0', '1.1-SNAPSHOT#20260520.000000-1', '1.1-SNAPSHOT#20260525.000000-2']);
    expect(result.decisions.map((d) => d.kind)).toEqual(['version', 'build', 'build']);
    expect(result.bytes).toBe(100 + 10 + 10);
  });

  it('Maven: a SNAPSHOT whose every build goes is one version decision (allow_empty)', () => {
    const build = (id: string, days: number) => ({ build: id, pushed: daysAgo(days), size: 10, blobs: [{ digest: `sha256:${id}`, size: 10 }], pulls: 0 });
    const snapshot = unit('2.0-SNAPSHOT', 5, { builds: [build('20260501.000000-1', 31), build('20260502.000000-2', 30)] });
    const result = plan([rule('**/*-SNAPSHOT', { olderThanMs: 86_400_000 * 10, allowEmpty: true })], [named('maven', 'org.example:lib', [unit('1.0', 40), snapshot])]);
    expect(result.decisions.map((d) => [d.kind, d.reference])).toEqual([['version', '2.0-SNAPSHOT']]);
    expect(result.decisions[0]!.reason).toMatch(/^every build: older_than = 10d/);
  });

  it('PyPI decides per release (all its files together)', () => {
    const units = [unit('1.0', 9, { blobs: [{ digest: 'sha256:w', size: 5 }, { digest: 'sha256:s', size: 7 }] }), unit('2.0', 1)];
    const result = plan([rule('*/*', { keepLast: 1 })], [named('pypi', 'proj', units)]);
    expect(result.decisions.map((d) => [d.reference, d.bytes])).toEqual([['1.0', 12]]);
  });
});

describe('bytes gc frees', () => {
  it('counts a blob once, and not when a kept artifact holds it', () => {
    const shared = { digest: 'sha256:shared', size: 1000 };
    const units = [unit('1', 3, { blobs: [shared, { digest: 'sha256:one', size: 1 }] }), unit('2', 2, { blobs: [shared, { digest: 'sha256:two', size: 2 }] }), unit('3', 1, { blobs: [shared] })];
    const result = plan([rule('*/*', { keepLast: 1 })], [named('npm', 'lib', units)]);
    expect(result.decisions.map((d) => d.bytes)).toEqual([1, 2]);
    expect(result.bytes).toBe(3);
  });
});
