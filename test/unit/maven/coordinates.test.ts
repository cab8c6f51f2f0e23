// Repository path parsing: files, checksums, metadata at each level, directories, and every
// way a hostile or malformed path is refused before a storage key exists.
import { describe, expect, it } from 'vitest';
import { artifactName, fileBelongs, groupIdOf, parseChecksumBody, parseMavenPath, parseSnapshotFile, parseVersionPath } from '../../../src/lib/maven/coordinates.js';

describe('parseMavenPath', () => {
  it('parses artifact files, classifiers and checksum suffixes', () => {
    expect(parseMavenPath('org/example/app/1.0/app-1.0.jar')).toEqual({ kind: 'file', artifact: { groupPath: ['org', 'example'], artifactId: 'app' }, version: '1.0', filename: 'app-1.0.jar' });
    expect(parseMavenPath('org/example/app/1.0/app-1.0-sources.jar.sha256')).toMatchObject({ kind: 'file', filename: 'app-1.0-sources.jar', checksum: 'sha256' });
    expect(parseMavenPath('org/example/app/1.0/app-1.0.tar.gz.md5')).toMatchObject({ filename: 'app-1.0.tar.gz', checksum: 'md5' });
    expect(parseMavenPath('org/example/app/1.0/app-1.0.jar.asc')).toMatchObject({ filename: 'app-1.0.jar.asc' });
    expect(parseMavenPath('g/app/1.0-SNAPSHOT/app-1.0-20261127.101500-3.pom')).toMatchObject({ version: '1.0-SNAPSHOT', filename: 'app-1.0-20261127.101500-3.pom' });
    expect(parseMavenPath('g/app/1.0-SNAPSHOT/app-1.0-SNAPSHOT.jar')).toMatchObject({ filename: 'app-1.0-SNAPSHOT.jar' });
  });

  it('parses metadata at group, artifact and version level, and directories', () => {
    expect(parseMavenPath('org/example/app/maven-metadata.xml')).toEqual({ kind: 'metadata', dir: ['org', 'example', 'app'] });
    expect(parseMavenPath('org/example/app/1.0-SNAPSHOT/maven-metadata.xml.sha1')).toEqual({ kind: 'metadata', dir: ['org', 'example', 'app', '1.0-SNAPSHOT'], checksum: 'sha1' });
    expect(parseMavenPath('')).toEqual({ kind: 'directory', segments: [] });
    expect(parseMavenPath('org/example/')).toEqual({ kind: 'directory', segments: ['org', 'example'] });
  });

  it.each([
    ['org/../app/1.0/app-1.0.jar', /group segment "\.\."/],
    ['org/./app/1.0/app-1.0.jar', /group segment "\."/],
    ['org/%2e%2e/app/1.0/app-1.0.jar', /group segment "%2e%2e"/],
    ['org/a%2Fb/app/1.0/app-1.0.jar', /group segment "a%2Fb"/],
    ['org/example/app/1.0/..', /file name "\.\."/],
    ['org/example/app/../app-1.0.jar', /version "\.\."/],
    ['org\\example/app/1.0/app-1.0.jar', /group segment/],
    ['/org/example/app/1.0/app-1.0.jar', /empty path segment/],
    ['org/example/app/1.0/app-10.jar', /file name must start with "app-1.0"/],
    ['org/example/app/1.0/app-1.0', /file name must start with/],
    ['org/example/app/1.0/app-1.0-', /file name must start with/],
    ['org/example/app/2.0/app-1.0.jar', /file name must start with "app-2.0"/],
    ['org/example/__proto__/1.0/__proto__-1.0.jar', /artifactId "__proto__"/],
    ['org/example/../maven-metadata.xml', /directory "\.\."/],
    ['org/../', /directory "\.\."/],
  ])('refuses %s', (path, why) => {
    expect(() => parseMavenPath(path)).toThrow(why);
    try { parseMavenPath(path); } catch (error) { expect(error).toMatchObject({ code: 'MAVEN_INVALID_PATH', status: 400 }); }
  });

  it('names artifacts in groupId and path forms', () => {
    const artifact = { groupPath: ['org', 'example'], artifactId: 'app' };
    expect(groupIdOf(artifact)).toBe('org.example');
    expect(artifactName(artifact)).toBe('org/example/app');
  });
});

describe('SNAPSHOT file names', () => {
  it('reads timestamp, build number, classifier and extension', () => {
    expect(parseSnapshotFile('app', '1.0-SNAPSHOT', 'app-1.0-20261127.101500-3.jar')).toEqual({ timestamp: '20261127.101500', buildNumber: 3, classifier: '', extension: 'jar' });
    expect(parseSnapshotFile('app', '1.0-SNAPSHOT', 'app-1.0-20261127.101500-12-javadoc.jar.asc')).toEqual({ timestamp: '20261127.101500', buildNumber: 12, classifier: 'javadoc', extension: 'jar.asc' });
    expect(parseSnapshotFile('app', '1.0-SNAPSHOT', 'app-1.0-SNAPSHOT.jar')).toBeUndefined();
    expect(parseSnapshotFile('app', '1.0', 'app-1.0-20261127.101500-3.jar')).toBeUndefined();
    expect(parseSnapshotFile('app', '1.0-SNAPSHOT', 'app-1.0-2026112.101500-3.jar')).toBeUndefined();
  });

  it('decides which files belong to a version', () => {
    expect(fileBelongs('app', '1.0-SNAPSHOT', 'app-1.0-20261127.101500-3-tests.jar')).toBe(true);
    expect(fileBelongs('app', '1.0-SNAPSHOT', 'app-1.0-20261127.101500.jar')).toBe(false);
    expect(fileBelongs('app', '1.0', 'app-1.0-20261127.101500-3.jar')).toBe(true); // a release classifier may look like anything
    expect(fileBelongs('app', '1.0', 'app-1.0')).toBe(false);
  });
});

describe('checksum bodies and version paths', () => {
  it('accepts bare hex and "hex  file name", case-insensitively', () => {
    expect(parseChecksumBody('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(parseChecksumBody('sha1', `${'a'.repeat(40)}  app-1.0.jar\n`)).toBe('a'.repeat(40));
    expect(parseChecksumBody('sha1', 'a'.repeat(39))).toBeUndefined();
    expect(parseChecksumBody('sha256', 'g'.repeat(64))).toBeUndefined();
    expect(parseChecksumBody('sha512', '')).toBeUndefined();
  });

  it('parses version paths for DELETE', () => {
    expect(parseVersionPath('org/example/app/1.0/')).toEqual({ artifact: { groupPath: ['org', 'example'], artifactId: 'app' }, version: '1.0' });
    expect(() => parseVersionPath('app/1.0')).toThrow(/expected group\/path\/artifactId\/version/);
    expect(() => parseVersionPath('org/../app/1.0')).toThrow(/group segment "\.\."/);
  });
});
