// The Maven format service as ops, the API and the UI see it: "groupId:artifactId" names paged,
// glob- and pull-filtered (pull rules, events and audit lines use the path form, which reads
// back too); versions with the main file's
// digest, the size of their distinct blobs, last push and pulls (counted by the real download
// route); read; one delete for every path with Maven's release and SNAPSHOT rules; usage.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PublishedEvent } from '../../../src/lib/events/bus.js';
import type { TestApp } from '../../helpers/test-app.js';
import { JAR, POM, get, hex, mavenApp, put, storeSnapshot } from '../maven/helpers.js';

let t: TestApp;
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

const A = 'org/example/app';
const deployed = async (path: string, body: Buffer | string) => expect((await put(t, path, body)).statusCode).toBe(201);
const versionsIn = (xml: string) => [...xml.matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1]);
const tagIn = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(xml)?.[1];

describe('maven service', () => {
  it('lists names by page, glob and pull permission (on the path form); versions with size, main digest and pulls', async () => {
    t = await mavenApp();
    const sources = Buffer.from('sources jar bytes');
    await deployed(`${A}/1.0/app-1.0.jar`, JAR);
    await deployed(`${A}/1.0/app-1.0.pom`, POM);
    await deployed(`${A}/1.0/app-1.0-sources.jar`, sources);
    await deployed(`${A}/1.0/app-1.0-tests.jar`, JAR); // the same bytes: one blob
    await deployed('org/example/app/lib/2.0/lib-2.0.pom', POM); // group org.example.app
    await deployed('com/other/tool/3.0/tool-3.0.jar', JAR);
    await deployed('com/early/only/1.0/only-1.0.jar.sha1', hex('sha1', JAR)); // nothing deployed yet
    const maven = t.services.formats.maven;

    expect(await maven.listNames()).toEqual({ items: ['com.other:tool', 'org.example.app:lib', 'org.example:app'] });
    expect(await maven.listNames({ limit: 2 })).toEqual({ items: ['com.other:tool', 'org.example.app:lib'], next: 'org.example.app:lib' });
    expect(await maven.listNames({ after: 'org.example.app:lib' })).toEqual({ items: ['org.example:app'] });
    const asked: string[] = [];
    expect(await maven.listNames({ glob: 'org.example*:*', canPull: (n) => { asked.push(n); return n !== 'org/example/app/lib'; } })).toEqual({ items: ['org.example:app'] });
    expect(asked).toEqual(['org/example/app/lib', 'org/example/app']);
    expect(maven.accessName('org.example:app')).toBe('org/example/app');

    // A build reads the POM and the jar: the version counts one pull per build, not two.
    for (let i = 0; i < 3; i++) {
      expect((await get(t, `${A}/1.0/app-1.0.pom`)).statusCode).toBe(200);
      expect((await get(t, `${A}/1.0/app-1.0.jar`)).statusCode).toBe(200);
      expect((await get(t, `${A}/1.0/app-1.0.jar.sha1`)).statusCode).toBe(200); // checksums are not pulls
    }
    await t.services.pulls.flush();
    const [version] = await maven.listVersions('org.example:app');
    expect(version).toMatchObject({ name: 'org.example:app', version: '1.0', digest: `sha256:${hex('sha256', JAR)}`, size: JAR.length + POM.length + sources.length, pulls: 3 });
    expect(Date.parse(version!.lastPulled!)).not.toBeNaN();
    expect(await maven.listVersions('org.example.app:lib')).toMatchObject([{ version: '2.0', digest: `sha256:${hex('sha256', POM)}`, pulls: 0 }]);
    const listed = (await t.app.inject({ url: '/api/artifacts?type=maven&glob=org.example:app&pulls=true' })).json().items;
    expect(listed).toMatchObject([{ type: 'maven', name: 'org.example:app', version: '1.0', size: JAR.length + POM.length + sources.length, pulls: 3 }]);

    const detail = await maven.read('org.example:app', '1.0');
    expect(detail?.blobs.map((b) => b.digest).sort()).toEqual([JAR, POM, sources].map((b) => `sha256:${hex('sha256', b)}`).sort());
    expect(Object.keys((detail?.metadata as { files: object }).files).sort()).toEqual(['app-1.0-sources.jar', 'app-1.0-tests.jar', 'app-1.0.jar', 'app-1.0.pom']);
    // Events name the artifact in path form, as access rules do: that name reads back too.
    expect((await maven.read('org/example/app', '1.0'))?.name).toBe('org.example:app');
    expect(await maven.listVersions('org/example/app/lib')).toMatchObject([{ name: 'org.example.app:lib', version: '2.0' }]);
    expect(maven.accessName('org/example/app')).toBe('org/example/app');
    expect(await maven.read('org.example:app', '9.9')).toBeUndefined();
    expect(await maven.read('com.early:only', '1.0')).toBeUndefined();
    for (const bad of ['app', 'no-colon', 'a:b:c', 'org..x:app', 'org.example:__proto__', 'org/ex.ample/app', 'org/../app', 'org.example:a/b']) {
      expect(await maven.listVersions(bad)).toEqual([]);
      expect(await maven.read(bad, '1.0')).toBeUndefined();
      expect(await maven.delete(bad, '1.0')).toBe(false);
    }
    expect(await maven.usage()).toEqual({ bytes: JAR.length + POM.length + sources.length, names: 3, versions: 3 });
  });

  it('dates a version by its last push: a new SNAPSHOT build moves it', async () => {
    t = await mavenApp();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T10:00:00Z'));
    await deployed(`${A}/1.0-SNAPSHOT/app-1.0-20260101.100000-1.jar`, JAR);
    vi.setSystemTime(new Date('2026-01-02T09:00:00Z'));
    await deployed(`${A}/1.0-SNAPSHOT/app-1.0-20260102.090000-2.jar`, POM);
    const [version] = await t.services.formats.maven.listVersions('org.example:app');
    // The newest build is the version's main file.
    expect(version).toMatchObject({ version: '1.0-SNAPSHOT', pushed: '2026-01-02T09:00:00.000Z', digest: `sha256:${hex('sha256', POM)}`, size: JAR.length + POM.length });
  });
});

describe('maven names', () => {
  it('refuses a deploy into a group directory holding ".", which no groupId:artifactId could name', async () => {
    t = await mavenApp();
    const before = await storeSnapshot(t);
    for (const path of ['org.example/app/1.0/app-1.0.jar', 'org.example/app/1.0/app-1.0.jar.sha1']) {
      const refused = await put(t, path, path.endsWith('.sha1') ? hex('sha1', JAR) : JAR);
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toBe(`invalid Maven path "${path}": group directory "org.example" holds '.', but a groupId's dots are directories in the Maven 2 layout (deploy org.example as org/example/)\n`);
    }
    expect(await storeSnapshot(t)).toEqual(before);
    expect(await t.services.formats.maven.listNames()).toEqual({ items: [] });
    // Deployed where its name leads, it is listed, read and deleted by that name.
    await deployed(`${A}/1.0/app-1.0.jar`, JAR);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=maven:org.example:app@1.0' })).statusCode).toBe(200);
  });
});

describe('maven delete (one delete for the protocol, /api/ and nora delete)', () => {
  it('deleting the highest release moves latest and release to the highest remaining version, in Maven order', async () => {
    t = await mavenApp();
    for (const v of ['1.10-rc1', '1.10', '1.9']) {
      await deployed(`${A}/${v}/app-${v}.jar`, Buffer.from(`jar ${v}`));
      await deployed(`${A}/${v}/app-${v}.pom`, POM);
    }
    await deployed(`${A}/2.0-SNAPSHOT/app-2.0-20260101.100000-1.jar`, JAR);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=maven:org.example:app@1.10' })).statusCode).toBe(200);
    let xml = (await get(t, `${A}/maven-metadata.xml`)).body;
    expect(versionsIn(xml)).toEqual(['1.9', '1.10-rc1', '2.0-SNAPSHOT']);
    expect(tagIn(xml, 'release')).toBe('1.10-rc1');
    expect(tagIn(xml, 'latest')).toBe('2.0-SNAPSHOT');
    for (const file of ['app-1.10.jar', 'app-1.10.pom', 'app-1.10.jar.sha1']) expect((await get(t, `${A}/1.10/${file}`)).statusCode).toBe(404);
    expect((await get(t, `${A}/1.10/`)).statusCode).toBe(404);
    expect((await get(t, `${A}/maven-metadata.xml.sha1`)).body).toBe(hex('sha1', xml));

    // Through the protocol: the same rules.
    expect((await t.app.inject({ method: 'DELETE', url: `/maven2/${A}/2.0-SNAPSHOT` })).statusCode).toBe(200);
    xml = (await get(t, `${A}/maven-metadata.xml`)).body;
    expect(versionsIn(xml)).toEqual(['1.9', '1.10-rc1']);
    expect(tagIn(xml, 'latest')).toBe('1.10-rc1');
    expect(tagIn(xml, 'release')).toBe('1.10-rc1');
    expect((await t.services.formats.maven.listVersions('org.example:app')).map((v) => v.version)).toEqual(['1.9', '1.10-rc1']);
  });

  it('deleting a SNAPSHOT removes every timestamped build and its metadata', async () => {
    t = await mavenApp();
    const dir = `${A}/1.0-SNAPSHOT`;
    const builds = ['app-1.0-20260101.100000-1.jar', 'app-1.0-20260101.100000-1.pom', 'app-1.0-20260102.090000-2.jar', 'app-1.0-20260102.090000-2-sources.jar'];
    for (const file of builds) await deployed(`${dir}/${file}`, JAR);
    await deployed(`${A}/0.9/app-0.9.jar`, JAR);
    expect((await get(t, `${dir}/maven-metadata.xml`)).statusCode).toBe(200);
    expect(await t.services.formats.maven.delete('org.example:app', '1.0-SNAPSHOT', { actor: 'admin' })).toBe(true);
    for (const file of [...builds, 'maven-metadata.xml', 'maven-metadata.xml.sha1']) expect((await get(t, `${dir}/${file}`)).statusCode).toBe(404);
    const xml = (await get(t, `${A}/maven-metadata.xml`)).body;
    expect(versionsIn(xml)).toEqual(['0.9']);
    expect(tagIn(xml, 'latest')).toBe('0.9');
    // A deleted version may be deployed again, and it is a fresh SNAPSHOT.
    await deployed(`${dir}/app-1.0-20260103.080000-1.jar`, POM);
    expect((await get(t, `${dir}/maven-metadata.xml`)).body).toMatch(/<timestamp>20260103\.080000<\/timestamp>\s*<buildNumber>1<\/buildNumber>/);
  });

  it('finds the same versions absent on every path: unknown, and one holding only an early checksum (404, no event)', async () => {
    t = await mavenApp();
    await deployed(`${A}/1.0/app-1.0.jar`, JAR);
    await deployed(`${A}/2.0/app-2.0.jar.sha1`, hex('sha1', JAR)); // 2.0 is not deployed
    const events: PublishedEvent[] = [];
    t.services.events.subscribe((e) => { events.push(e); });
    for (const version of ['2.0', '3.0']) {
      const viaProtocol = await t.app.inject({ method: 'DELETE', url: `/maven2/${A}/${version}` });
      expect(viaProtocol.statusCode).toBe(404);
      expect(viaProtocol.body).toBe(`not found: ${A}/${version}\n`);
      const viaApi = await t.app.inject({ method: 'DELETE', url: `/api/artifacts?ref=maven:org.example:app@${version}` });
      expect(viaApi.statusCode).toBe(404);
      expect(viaApi.json().error.code).toBe('ARTIFACT_NOT_FOUND');
      expect((await t.app.inject({ method: 'DELETE', url: `/api/artifacts?ref=maven:org.example:app@${version}&dry_run=true` })).statusCode).toBe(404);
    }
    expect(events).toEqual([]);
    // The early checksum still waits for its file.
    expect((await put(t, `${A}/2.0/app-2.0.jar`, 'other bytes')).statusCode).toBe(400);
  });
});
