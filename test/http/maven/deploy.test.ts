// Deploy and resolve over HTTP (in-process): files, checksums of every algorithm, conditional
// requests, HEAD, listings, release immutability, SNAPSHOT metadata, DELETE.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/test-app.js';
import { G, JAR, POM, deploy, get, hex, mavenApp, put } from './helpers.js';

let t: TestApp;
afterEach(async () => { await t?.close(); });

describe('maven deploy and resolve', () => {
  it('stores a file and answers it with every checksum, ETag, Last-Modified and 304', async () => {
    t = await mavenApp();
    expect(await deploy(t, `${G}/app/1.0/app-1.0.jar`, JAR)).toEqual([201, 201, 201]);
    const file = await get(t, `${G}/app/1.0/app-1.0.jar`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(JAR)).toBe(true);
    expect(file.headers['content-type']).toBe('application/java-archive');
    expect(file.headers.etag).toBe(`"${hex('sha1', JAR)}"`);
    expect(file.headers['last-modified']).toBeDefined();
    for (const alg of ['md5', 'sha1', 'sha256', 'sha512']) {
      const sum = await get(t, `${G}/app/1.0/app-1.0.jar.${alg}`);
      expect(sum.statusCode).toBe(200);
      expect(sum.body).toBe(hex(alg, JAR));
    }
    expect((await get(t, `${G}/app/1.0/app-1.0.jar`, { 'if-none-match': file.headers.etag as string })).statusCode).toBe(304);
    expect((await get(t, `${G}/app/1.0/app-1.0.jar`, { 'if-modified-since': file.headers['last-modified'] as string })).statusCode).toBe(304);
    const head = await get(t, `${G}/app/1.0/app-1.0.jar`, {}, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(JAR.length));
    expect(head.body).toBe('');
  });
});

describe('maven metadata', () => {
  it('generates artifact-level metadata with versions in Maven order, latest and release, and its checksums', async () => {
    t = await mavenApp();
    for (const v of ['1.10', '1.2', '2.0-SNAPSHOT', '1.9-rc1']) {
      const file = v.endsWith('SNAPSHOT') ? `app-2.0-20260101.120000-1.pom` : `app-${v}.pom`;
      expect((await put(t, `${G}/app/${v}/${file}`, POM)).statusCode).toBe(201);
    }
    // The client's own metadata is accepted and ignored.
    expect((await put(t, `${G}/app/maven-metadata.xml`, '<metadata><versioning><versions><version>0.0.1</version></versions></versioning></metadata>')).statusCode).toBe(201);
    expect((await put(t, `${G}/app/maven-metadata.xml.sha1`, hex('sha1', 'whatever'))).statusCode).toBe(201);
    const xml = await get(t, `${G}/app/maven-metadata.xml`);
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toBe('application/xml');
    expect(xml.body).toContain('<groupId>org.example</groupId>');
    expect(xml.body).toContain('<latest>2.0-SNAPSHOT</latest>');
    expect(xml.body).toContain('<release>1.10</release>');
    expect([...xml.body.matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1])).toEqual(['1.2', '1.9-rc1', '1.10', '2.0-SNAPSHOT']);
    expect(xml.body).toMatch(/<lastUpdated>\d{14}<\/lastUpdated>/);
    for (const alg of ['md5', 'sha1', 'sha256', 'sha512']) expect((await get(t, `${G}/app/maven-metadata.xml.${alg}`)).body).toBe(hex(alg, xml.body));
  });

  it('lists SNAPSHOT builds with buildNumber and the newest value per classifier and extension', async () => {
    t = await mavenApp();
    const dir = `${G}/app/1.0-SNAPSHOT`;
    for (const file of ['app-1.0-20260101.100000-1.jar', 'app-1.0-20260101.100000-1.pom', 'app-1.0-20260101.100000-1-sources.jar', 'app-1.0-20260102.090000-2.jar', 'app-1.0-20260102.090000-2.pom']) {
      expect((await put(t, `${dir}/${file}`, JAR)).statusCode).toBe(201);
    }
    const xml = (await get(t, `${dir}/maven-metadata.xml`)).body;
    expect(xml).toContain('<version>1.0-SNAPSHOT</version>');
    expect(xml).toMatch(/<snapshot>\s*<timestamp>20260102\.090000<\/timestamp>\s*<buildNumber>2<\/buildNumber>\s*<\/snapshot>/);
    const versions = [...xml.matchAll(/<snapshotVersion>([\s\S]*?)<\/snapshotVersion>/g)].map((m) => m[1]!.replace(/\s+/g, '').replace(/<updated>\d+<\/updated>/, ''));
    expect(versions).toEqual([
      '<extension>jar</extension><value>1.0-20260102.090000-2</value>',
      '<extension>pom</extension><value>1.0-20260102.090000-2</value>',
      '<classifier>sources</classifier><extension>jar</extension><value>1.0-20260101.100000-1</value>',
    ]);
    // SNAPSHOT files may be redeployed.
    expect((await put(t, `${dir}/app-1.0-20260102.090000-2.jar`, POM)).statusCode).toBe(201);
    expect((await get(t, `${dir}/app-1.0-20260102.090000-2.jar`)).rawPayload.equals(POM)).toBe(true);
  });

  it('keeps every concurrent deploy in the metadata (compare-and-swap)', async () => {
    t = await mavenApp();
    const versions = Array.from({ length: 12 }, (_, i) => `3.${i}`);
    const results = await Promise.all(versions.map((v) => put(t, `${G}/app/${v}/app-${v}.jar`, Buffer.from(`jar ${v}`))));
    expect(results.map((r) => r.statusCode)).toEqual(versions.map(() => 201));
    const xml = (await get(t, `${G}/app/maven-metadata.xml`)).body;
    for (const v of versions) expect(xml).toContain(`<version>${v}</version>`);
  });
});

describe('maven checksums sent before their file', () => {
  it('keeps an early checksum and deploys the file when it matches', async () => {
    t = await mavenApp();
    expect((await put(t, `${G}/app/1.0/app-1.0.jar.sha1`, `${hex('sha1', JAR)}  app-1.0.jar\n`)).statusCode).toBe(201);
    expect((await get(t, `${G}/app/maven-metadata.xml`)).statusCode).toBe(404);
    expect((await put(t, `${G}/app/1.0/app-1.0.jar`, JAR)).statusCode).toBe(201);
    expect((await get(t, `${G}/app/1.0/app-1.0.jar`)).rawPayload.equals(JAR)).toBe(true);
  });

  it('refuses the file when it does not match the early checksum', async () => {
    t = await mavenApp();
    expect((await put(t, `${G}/app/1.0/app-1.0.jar.sha256`, hex('sha256', 'other bytes'))).statusCode).toBe(201);
    const refused = await put(t, `${G}/app/1.0/app-1.0.jar`, JAR);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toBe(`checksum mismatch for org/example/app/1.0/app-1.0.jar: the client sent sha256 ${hex('sha256', 'other bytes')}, the file hashes to ${hex('sha256', JAR)}\n`);
    expect((await get(t, `${G}/app/1.0/app-1.0.jar`)).statusCode).toBe(404);
    for await (const blob of t.services.blobs.list()) throw new Error(`no blob may be stored, found ${blob.digest}`);
  });
});

describe('maven listings and delete', () => {
  it('serves HTML directory listings from the root down to a version', async () => {
    t = await mavenApp();
    await deploy(t, `${G}/app/1.0/app-1.0.jar`, JAR);
    const root = await get(t, '');
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(root.body).toContain('<a href="org/">org/</a>');
    expect((await get(t, 'org/example/')).body).toContain('<a href="app/">app/</a>');
    const artifact = (await get(t, 'org/example/app/')).body;
    expect(artifact).toContain('<a href="1.0/">1.0/</a>');
    expect(artifact).toContain('<a href="maven-metadata.xml">');
    const version = (await get(t, 'org/example/app/1.0/')).body;
    expect(version).toContain(`<a href="app-1.0.jar">app-1.0.jar</a></td><td>`);
    expect(version).toContain('<a href="app-1.0.jar.sha256">');
    expect((await get(t, 'org/nothing/')).statusCode).toBe(404);
  });

  it('deletes a version, and the artifact with its last version', async () => {
    t = await mavenApp();
    await deploy(t, `${G}/app/1.0/app-1.0.jar`, JAR);
    await deploy(t, `${G}/app/2.0/app-2.0.jar`, JAR);
    const deleted = await t.app.inject({ method: 'DELETE', url: `/maven2/${G}/app/1.0` });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.body).toBe('deleted org.example:app:1.0 (1 files)\n');
    expect((await get(t, `${G}/app/1.0/app-1.0.jar`)).statusCode).toBe(404);
    expect((await get(t, `${G}/app/maven-metadata.xml`)).body).not.toContain('<version>1.0</version>');
    expect((await t.app.inject({ method: 'DELETE', url: `/maven2/${G}/app/1.0/` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/maven2/${G}/app/2.0/` })).statusCode).toBe(200);
    expect((await get(t, `${G}/app/maven-metadata.xml`)).statusCode).toBe(404);
    // A deleted release version may be deployed again.
    expect((await put(t, `${G}/app/1.0/app-1.0.jar`, JAR)).statusCode).toBe(201);
  });

  it('declares access per route: pull, push and admin on the groupId/artifactId name', async () => {
    const seen: Array<{ action: string; format: string; name: string }> = [];
    t = await mavenApp();
    t.services.authorizer.authorize = async (_identity, requests) => { seen.push(...requests); return true; };
    await put(t, `${G}/app/1.0/app-1.0.jar`, JAR);
    await get(t, `${G}/app/1.0-SNAPSHOT/maven-metadata.xml`);
    await t.app.inject({ method: 'DELETE', url: `/maven2/${G}/app/1.0` });
    expect(seen).toEqual([
      { action: 'push', format: 'maven', name: 'org/example/app' },
      { action: 'pull', format: 'maven', name: 'org/example/app' },
      { action: 'admin', format: 'maven', name: 'org/example/app' },
    ]);
  });
});

describe('maven group metadata (plugin prefixes)', () => {
  it('keeps the client-sent plugin prefixes of locally deployed plugins and serves them', async () => {
    t = await mavenApp();
    const dir = 'org/example/plugins';
    expect((await put(t, `${dir}/hello-maven-plugin/1.0/hello-maven-plugin-1.0.jar`, JAR)).statusCode).toBe(201);
    const sent = `<?xml version="1.0"?><metadata><plugins>
      <plugin><name>Hello &amp; Co</name><prefix>hello</prefix><artifactId>hello-maven-plugin</artifactId></plugin>
      <plugin><name>Ghost</name><prefix>ghost</prefix><artifactId>ghost-maven-plugin</artifactId></plugin>
    </plugins></metadata>`;
    expect((await put(t, `${dir}/maven-metadata.xml`, sent)).statusCode).toBe(201);
    const xml = await get(t, `${dir}/maven-metadata.xml`);
    expect(xml.statusCode).toBe(200);
    expect(xml.body).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <plugins>
    <plugin>
      <name>Hello &#38; Co</name>
      <prefix>hello</prefix>
      <artifactId>hello-maven-plugin</artifactId>
    </plugin>
  </plugins>
</metadata>
`);
    expect((await get(t, `${dir}/maven-metadata.xml.sha1`)).body).toBe(hex('sha1', xml.body));
  });
});
