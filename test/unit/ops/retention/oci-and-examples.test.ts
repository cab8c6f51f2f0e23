// OCI manifests (untagged, index children, referrers) and the roadmap's three examples, worked
// through as the README tells them.
import { describe, expect, it } from 'vitest';
import type { ManifestListing } from '../../../../src/lib/formats/format-service.js';
import { daysAgo, gone, named, plan, rule, unit } from './fixtures.js';

const manifest = (digest: string, days: number, extra: Partial<ManifestListing> = {}): ManifestListing => ({
  digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', pushed: daysAgo(days), tags: [], tagPushed: {}, children: [], blobs: [{ digest, size: 10 }, { digest: `${digest}-layer`, size: 1000 }], pulls: 0, ...extra,
});

describe('OCI manifests', () => {
  const DAY = 86_400_000;

  it('untagged_older_than deletes old untagged manifests, also those the plan untags', () => {
    const units = [unit('dev-1', 1, { digest: 'sha256:new' }), unit('dev-2', 20, { digest: 'sha256:old' })];
    const manifests = [manifest('sha256:new', 1, { tags: ['dev-1'] }), manifest('sha256:old', 20, { tags: ['dev-2'] }), manifest('sha256:orphan', 30), manifest('sha256:young', 2)];
    const result = plan([rule('app/*', { keepLast: 1, untaggedOlderThanMs: 7 * DAY })], [named('oci', 'app', units, manifests)]);
    expect(result.decisions.map((d) => `${d.kind} ${d.reference}`)).toEqual(['tag dev-2', 'manifest sha256:old', 'manifest sha256:orphan']);
    expect(result.decisions[2]!.reason).toBe('untagged_older_than = 7d: untagged, pushed 30d ago');
    // The tag frees nothing itself; each manifest frees its blobs.
    expect(result.decisions.map((d) => d.bytes)).toEqual([0, 1010, 1010]);
  });

  it('without untagged_older_than untagged manifests stay', () => {
    const result = plan([rule('app/*', { keepLast: 0, allowEmpty: true })], [named('oci', 'app', [unit('a', 9, { digest: 'sha256:a' })], [manifest('sha256:a', 9, { tags: ['a'] }), manifest('sha256:b', 9)])]);
    expect(result.decisions.map((d) => `${d.kind} ${d.reference}`)).toEqual(['tag a']);
  });

  it('keeps the children of a kept index and the referrers of a kept subject; referrers follow a deleted subject', () => {
    const manifests = [
      manifest('sha256:index', 30, { tags: ['v1'], children: ['sha256:amd64', 'sha256:arm64'] }),
      manifest('sha256:amd64', 30), manifest('sha256:arm64', 30),
      manifest('sha256:sig', 30, { subject: 'sha256:index' }),
      manifest('sha256:gone', 30), manifest('sha256:gone-sbom', 30, { subject: 'sha256:gone' }),
      manifest('sha256:sbom-of-missing', 30, { subject: 'sha256:never-here' }),
    ];
    const result = plan([rule('app/*', { untaggedOlderThanMs: DAY })], [named('oci', 'app', [unit('v1', 30, { digest: 'sha256:index' })], manifests)]);
    expect(gone(result)).toEqual(['sha256:gone', 'sha256:gone-sbom', 'sha256:sbom-of-missing']);
    expect(result.decisions[1]!.reason).toBe('referrer of sha256:gone, which goes');
  });

  it('the children of a deleted index go with it when untagged and old', () => {
    const manifests = [manifest('sha256:index', 30, { tags: ['old'], children: ['sha256:child'] }), manifest('sha256:child', 30), manifest('sha256:keep', 1, { tags: ['new'] })];
    const units = [unit('old', 30, { digest: 'sha256:index' }), unit('new', 1, { digest: 'sha256:keep' })];
    const result = plan([rule('app/*', { keepLast: 1, untaggedOlderThanMs: DAY })], [named('oci', 'app', units, manifests)]);
    expect(gone(result)).toEqual(['old', 'sha256:index', 'sha256:child']);
  });

  it('a layer shared with a kept image is not counted as freed', () => {
    const shared = { digest: 'sha256:base', size: 5000 };
    const manifests = [manifest('sha256:a', 30, { tags: ['a'], blobs: [{ digest: 'sha256:a', size: 10 }, shared] }), manifest('sha256:b', 1, { tags: ['b'], blobs: [{ digest: 'sha256:b', size: 10 }, shared] })];
    const units = [unit('a', 30, { digest: 'sha256:a' }), unit('b', 1, { digest: 'sha256:b' })];
    const result = plan([rule('app/*', { keepLast: 1, untaggedOlderThanMs: DAY })], [named('oci', 'app', units, manifests)]);
    expect(result.bytes).toBe(10);
  });
});

describe("the roadmap's three examples (README)", () => {
  const roadmap = [
    rule('*/dev-*', { keepLast: 5 }),
    rule('*/release-*', { keepLast: 20, olderThanMs: 90 * 86_400_000 }),
    rule('**/pr-*', { olderThanMs: 7 * 86_400_000 }),
  ];
  // web: dev-1..dev-8 pushed 1..8 days ago; release-1..release-30 pushed 10, 20, ... 300 days ago;
  // pr-1..pr-10 pushed 1..10 days ago; latest pushed today. team/api (two segments): pr-1..pr-10.
  const web = named('oci', 'web', [
    unit('latest', 0),
    ...Array.from({ length: 8 }, (_, i) => unit(`dev-${i + 1}`, i + 1)),
    ...Array.from({ length: 30 }, (_, i) => unit(`release-${i + 1}`, (i + 1) * 10)),
    ...Array.from({ length: 10 }, (_, i) => unit(`pr-${i + 1}`, i + 1)),
  ]);
  const api = named('oci', 'team/api', [unit('dev-1', 30), unit('dev-2', 31), ...Array.from({ length: 10 }, (_, i) => unit(`pr-${i + 1}`, i + 1))]);
  const result = plan(roadmap, [web, api]);

  it('"*/dev-*" keep_last = 5 keeps the 5 newest dev tags of each one-segment repository', () => {
    expect(result.decisions.filter((d) => d.rule === 0).map((d) => `${d.name}:${d.reference}`)).toEqual(['web:dev-6', 'web:dev-7', 'web:dev-8']);
  });

  it('"*/release-*" keep_last = 20, older_than = 90d deletes releases beyond the 20 newest that are also older than 90 days', () => {
    // release-21..30 are beyond the newest 20 (pushed 210..300 days ago, all older than 90 days).
    expect(result.decisions.filter((d) => d.rule === 1).map((d) => d.reference)).toEqual(Array.from({ length: 10 }, (_, i) => `release-${i + 21}`));
    const younger = plan([roadmap[1]!], [named('oci', 'svc', Array.from({ length: 25 }, (_, i) => unit(`release-${i + 1}`, i + 1)))]);
    expect(younger.decisions).toEqual([]);
  });

  it('"**/pr-*" older_than = 7d deletes PR tags older than a week in every repository, nested ones too', () => {
    expect(result.decisions.filter((d) => d.rule === 2).map((d) => `${d.name}:${d.reference}`)).toEqual(['web:pr-8', 'web:pr-9', 'web:pr-10', 'team/api:pr-8', 'team/api:pr-9', 'team/api:pr-10']);
  });

  it('keeps what no rule matches (latest, team/api dev tags: "*" is one segment)', () => {
    expect(result.decisions.some((d) => d.reference === 'latest' || (d.name === 'team/api' && d.reference.startsWith('dev-')))).toBe(false);
    expect(result.decisions).toHaveLength(19);
  });
});
