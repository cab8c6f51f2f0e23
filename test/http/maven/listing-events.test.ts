// The format-level listing a management API uses, and the domain events deploys, pulls and
// deletes publish.
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/lib/events/bus.js';
import { listMavenArtifacts } from '../../../src/lib/maven/listing.js';
import type { TestApp } from '../../helpers/test-app.js';
import { JAR, POM, get, hex, mavenApp, put } from './helpers.js';

let t: TestApp;
afterEach(async () => { await t?.close(); });

describe('listMavenArtifacts', () => {
  it('lists every deployed artifact with its versions, latest, release, files and size', async () => {
    t = await mavenApp();
    await put(t, 'org/example/app/1.0/app-1.0.jar', JAR);
    await put(t, 'org/example/app/1.0/app-1.0.pom', POM);
    await put(t, 'org/example/app/1.1-SNAPSHOT/app-1.1-20260101.000000-1.jar', JAR);
    await put(t, 'org/example/app/lib/2.0/lib-2.0.jar', JAR); // group org.example.app, artifact lib
    await put(t, 'com/other/tool/3.0/tool-3.0.jar.sha1', hex('sha1', JAR)); // only an early checksum: not deployed
    const listed = [];
    for await (const artifact of listMavenArtifacts(t.services.store)) listed.push({ ...artifact, updated: typeof artifact.updated });
    expect(listed).toEqual([
      { name: 'org/example/app', groupId: 'org.example', artifactId: 'app', versions: ['1.0', '1.1-SNAPSHOT'], latest: '1.1-SNAPSHOT', release: '1.0', files: 3, size: 2 * JAR.length + POM.length, updated: 'string' },
      { name: 'org/example/app/lib', groupId: 'org.example.app', artifactId: 'lib', versions: ['2.0'], latest: '2.0', release: '2.0', files: 1, size: JAR.length, updated: 'string' },
    ]);
    // The nested group and the artifact of the same path live side by side.
    expect((await get(t, 'org/example/app/lib/maven-metadata.xml')).body).toContain('<groupId>org.example.app</groupId>');
    expect((await get(t, 'org/example/app/maven-metadata.xml')).body).toContain('<groupId>org.example</groupId>');
  });
});

describe('maven events', () => {
  it('publishes ArtifactPushed, ArtifactPulled and ArtifactDeleted', async () => {
    t = await mavenApp();
    const events: DomainEvent[] = [];
    t.services.events.subscribe((event) => { events.push(event); });
    await put(t, 'org/example/app/1.0/app-1.0.jar', JAR);
    await put(t, 'org/example/app/1.0/app-1.0.jar.sha1', hex('sha1', JAR));
    await get(t, 'org/example/app/1.0/app-1.0.jar');
    await get(t, 'org/example/app/1.0/app-1.0.jar.sha1');
    await t.app.inject({ method: 'DELETE', url: '/maven2/org/example/app/1.0' });
    expect(events.map((e) => [e.type, e.artifact.format, e.artifact.name, e.artifact.reference])).toEqual([
      ['ArtifactPushed', 'maven', 'org/example/app', '1.0/app-1.0.jar'],
      ['ArtifactPulled', 'maven', 'org/example/app', '1.0/app-1.0.jar'],
      ['ArtifactDeleted', 'maven', 'org/example/app', '1.0'],
    ]);
    expect(events[0]).toMatchObject({ artifact: { digest: `sha256:${hex('sha256', JAR)}` }, size: JAR.length });
  });
});

describe('maven access denied', () => {
  it('challenges anonymous callers with 401 and Basic (Maven sends credentials on reads only then)', async () => {
    t = await mavenApp();
    t.services.authorizer.authorize = async (identity, requests) => identity.kind !== 'anonymous' || requests.every((r) => r.action === 'push');
    const denied = await get(t, 'org/example/app/1.0/app-1.0.jar');
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Basic realm="NORA Maven repository"');
    expect(denied.body).toBe('authentication required: anonymous may not pull on maven:org/example/app\n');
    expect((await put(t, 'org/example/app/1.0/app-1.0.jar', JAR)).statusCode).toBe(201);
  });
});
