// maven-metadata.xml generation (artifact and SNAPSHOT level), version ordering, timestamps,
// merging upstream metadata, and the checksum-verifying stream.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ArtifactDocument, StoredFile } from '../../../src/lib/maven/artifact-document.js';
import { artifactMetadata, readVersionList, renderArtifactMetadata, snapshotMetadata } from '../../../src/lib/maven/metadata-xml.js';
import { NegativeCache } from '../../../src/lib/maven/negative-cache.js';
import { mergeMetadata } from '../../../src/lib/maven/upstream-metadata.js';
import { VerifyingStream } from '../../../src/lib/streams/verifying-stream.js';
import { compareVersions, metadataTimestamp, snapshotTimestamp } from '../../../src/lib/maven/versions.js';

const file = (modified: string): StoredFile => ({ digest: 'sha256:x', size: 1, md5: '', sha1: '', sha256: '', sha512: '', modified });

describe('versions and timestamps', () => {
  it('orders versions as Maven does', () => {
    const sorted = ['1.10', '1.0-SNAPSHOT', '1.0', '1.0-alpha-1', '1.0-beta', '1.0-rc1', '1.0-sp1', '1.2', '1.0.1', '2.0-M1', 'abc'].sort(compareVersions);
    expect(sorted).toEqual(['abc', '1.0-alpha-1', '1.0-beta', '1.0-rc1', '1.0-SNAPSHOT', '1.0', '1.0-sp1', '1.0.1', '1.2', '1.10', '2.0-M1']);
    expect(compareVersions('1.0', '1.0.0')).not.toBe(0); // equal in order; the text breaks the tie
    expect(compareVersions('1.0', '1')).toBeGreaterThan(0);
  });

  it('formats UTC timestamps for metadata and SNAPSHOT file names', () => {
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(metadataTimestamp(date)).toBe('20260102030405');
    expect(snapshotTimestamp(date)).toBe('20260102.030405');
  });
});

describe('artifact metadata', () => {
  it('lists deployed versions in order with latest, release and lastUpdated', () => {
    const doc: ArtifactDocument = {
      groupId: 'org.example', artifactId: 'app', updated: '2026-01-02T03:04:05.000Z',
      versions: { '2.0-SNAPSHOT': { created: '', files: { 'a.jar': file('') } }, '1.10': { created: '', files: { 'a.jar': file('') } }, '1.9': { created: '', files: { 'a.jar': file('') } }, '3.0': { created: '', files: {}, pending: { 'app-3.0.jar': { sha1: 'x' } } } },
    };
    expect(artifactMetadata(doc)).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <groupId>org.example</groupId>
  <artifactId>app</artifactId>
  <versioning>
    <latest>2.0-SNAPSHOT</latest>
    <release>1.10</release>
    <versions>
      <version>1.9</version>
      <version>1.10</version>
      <version>2.0-SNAPSHOT</version>
    </versions>
    <lastUpdated>20260102030405</lastUpdated>
  </versioning>
</metadata>
`);
  });

  it('omits release when only SNAPSHOTs exist and escapes text', () => {
    const xml = renderArtifactMetadata({ groupId: 'a&b', artifactId: 'x', versions: ['1-SNAPSHOT'], lastUpdated: '20260101000000' });
    expect(xml).not.toContain('<release>');
    expect(xml).toContain('<groupId>a&#38;b</groupId>');
  });
});

describe('SNAPSHOT metadata', () => {
  const doc: ArtifactDocument = {
    groupId: 'org.example', artifactId: 'app', updated: '',
    versions: {
      '1.0-SNAPSHOT': { created: '2026-01-01T00:00:00.000Z', files: {
        'app-1.0-20260101.100000-1.jar': file('2026-01-01T10:00:01.000Z'),
        'app-1.0-20260101.100000-1-sources.jar': file('2026-01-01T10:00:02.000Z'),
        'app-1.0-20260102.090000-2.jar': file('2026-01-02T09:00:03.000Z'),
        'app-1.0-20260102.090000-2.pom': file('2026-01-02T09:00:04.000Z'),
      } },
      '1.0': { created: '', files: { 'app-1.0.jar': file('') } },
    },
  };

  it('names the latest build and the newest value per classifier and extension', () => {
    expect(snapshotMetadata(doc, '1.0-SNAPSHOT')).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<metadata modelVersion="1.1.0">
  <groupId>org.example</groupId>
  <artifactId>app</artifactId>
  <version>1.0-SNAPSHOT</version>
  <versioning>
    <snapshot>
      <timestamp>20260102.090000</timestamp>
      <buildNumber>2</buildNumber>
    </snapshot>
    <lastUpdated>20260102090004</lastUpdated>
    <snapshotVersions>
      <snapshotVersion>
        <extension>jar</extension>
        <value>1.0-20260102.090000-2</value>
        <updated>20260102090003</updated>
      </snapshotVersion>
      <snapshotVersion>
        <extension>pom</extension>
        <value>1.0-20260102.090000-2</value>
        <updated>20260102090004</updated>
      </snapshotVersion>
      <snapshotVersion>
        <classifier>sources</classifier>
        <extension>jar</extension>
        <value>1.0-20260101.100000-1</value>
        <updated>20260101100002</updated>
      </snapshotVersion>
    </snapshotVersions>
  </versioning>
</metadata>
`);
  });

  it('has none for releases or unknown versions', () => {
    expect(snapshotMetadata(doc, '1.0')).toBeUndefined();
    expect(snapshotMetadata(doc, '2.0-SNAPSHOT')).toBeUndefined();
  });
});

describe('upstream metadata', () => {
  it('reads version lists and merges several upstreams', () => {
    const a = '<metadata><groupId>g</groupId><artifactId>a</artifactId><versioning><versions><version>1.0</version><version>1.1</version></versions><lastUpdated>20250101000000</lastUpdated></versioning></metadata>';
    const b = '<metadata><groupId>g</groupId><artifactId>a</artifactId><versioning><versions><version>1.1</version><version>0.9</version></versions><lastUpdated>20250202000000</lastUpdated></versioning></metadata>';
    expect(readVersionList(a)).toEqual({ groupId: 'g', artifactId: 'a', versions: ['1.0', '1.1'], lastUpdated: '20250101000000' });
    expect(mergeMetadata([a])).toBe(a);
    const merged = mergeMetadata([a, b]);
    expect([...merged.matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1])).toEqual(['0.9', '1.0', '1.1']);
    expect(merged).toContain('<lastUpdated>20250202000000</lastUpdated>');
  });
});

describe('VerifyingStream', () => {
  const collect = async (stream: Readable) => { const out: Buffer[] = []; for await (const c of stream) out.push(c as Buffer); return Buffer.concat(out); };

  it('passes matching bytes through', async () => {
    const v = new VerifyingStream({ md5: '5eb63bbbe01eeed093cb22bb8f5acdc3' }, () => new Error('mismatch'));
    expect((await collect(Readable.from([Buffer.from('hello '), Buffer.from('world')]).pipe(v))).toString()).toBe('hello world');
  });

  it('fails before the last chunk when the bytes do not match', async () => {
    const v = new VerifyingStream({ md5: '0'.repeat(32) }, (alg, expected, actual) => new Error(`${alg} ${expected} ${actual}`));
    const seen: Buffer[] = [];
    v.on('data', (c: Buffer) => seen.push(c));
    Readable.from([Buffer.from('hello '), Buffer.from('world')]).pipe(v);
    await expect(new Promise((resolve, reject) => { v.on('end', resolve); v.on('error', reject); })).rejects.toThrow(`md5 ${'0'.repeat(32)} 5eb63bbbe01eeed093cb22bb8f5acdc3`);
    expect(Buffer.concat(seen).toString()).toBe('hello ');
  });
});

describe('NegativeCache', () => {
  it('forgets entries after the TTL and keeps at most maxEntries', () => {
    let now = 0;
    const cache = new NegativeCache(1000, 2, () => now);
    cache.add('a');
    expect(cache.has('a')).toBe(true);
    now = 1001;
    expect(cache.has('a')).toBe(false);
    cache.add('b'); cache.add('c'); cache.add('d');
    expect([cache.has('b'), cache.has('c'), cache.has('d')]).toEqual([false, true, true]);
    expect(new NegativeCache(0).has('x')).toBe(false);
  });
});
