// Every refused Maven request: the status, the plain-text message the client prints, and a store
// left exactly as it was (no document, no blob, no temp object).
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/raw-http.js';
import type { TestApp } from '../../helpers/test-app.js';
import { G, JAR, deploy, get, hex, mavenApp, put, storeSnapshot } from './helpers.js';

let t: TestApp;
afterEach(async () => { await t?.close(); });

async function expectRefused(request: () => Promise<{ statusCode: number; body: string }>, status: number, body: string | RegExp) {
  const before = await storeSnapshot(t);
  const response = await request();
  expect(response.statusCode).toBe(status);
  if (typeof body === 'string') expect(response.body).toBe(body);
  else expect(response.body).toMatch(body);
  expect(await storeSnapshot(t)).toEqual(before);
}

describe('maven bad input', () => {
  const traversal: Array<[string, string]> = [
    ['org/../../etc/passwd', 'invalid path: dot segment in path\n'],
    ['org/%2e%2e/%2e%2e/app/1.0/app-1.0.jar', 'invalid path: dot segment in path\n'],
    ['org/example/app/1.0/..%2f..%2fapp-1.0.jar', 'invalid path: dot segment in path\n'],
    ['org/example/app/1.0/app-1.0.jar%00', 'invalid path: encoded backslash or NUL in path\n'],
  ];
  it.each(traversal)('refuses traversal %s (sent byte-exact over a socket)', async (path, message) => {
    t = await mavenApp();
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    for (const method of ['PUT', 'GET', 'DELETE'] as const) {
      await expectRefused(async () => {
        const response = await rawRequest(base, `/maven2/${path}`, { method, ...(method === 'PUT' ? { body: JAR } : {}) });
        return { statusCode: response.status, body: response.text };
      }, 400, message);
    }
  });

  const coordinates: Array<[string, RegExp]> = [
    ['org/example/app/1.0/other-1.0.jar', /file name must start with "app-1.0" followed by "\." or "-classifier"/],
    ['org/example/app/1.0/app-1.0', /file name must start with "app-1.0"/],
    ['app/1.0/app-1.0.jar', /expected group\/path\/artifactId\/version\/artifactId-version/],
    ['org/ex%2Fample/app/1.0/app-1.0.jar', /group segment "ex%2Fample" may hold only letters/],
    ['org/-x/app/1.0/app-1.0.jar', /group segment "-x"/],
    ['org/example/app/1%200/app-1%200.jar', /version "1%200"/],
    ['org/__proto__/app/1.0/app-1.0.jar', /group segment "__proto__"/],
    ['org/example/app/1.0-SNAPSHOT/app-1.0-2026.1-1.jar', /file name must start with "app-1.0-SNAPSHOT"/],
    ['org/example/app//1.0/app-1.0.jar', /empty path segment/],
    ['maven-metadata.xml', /maven-metadata.xml belongs to a group, artifact or version directory/],
    [`org/example/app/${'1'.repeat(201)}/app-1.jar`, /version is longer than 200 characters/],
  ];
  it.each(coordinates)('refuses bad coordinates %s', async (path, message) => {
    t = await mavenApp();
    await expectRefused(() => put(t, path, JAR), 400, new RegExp(`^invalid Maven path "[^"]*": .*${message.source}.*\\n$`));
    expect((await get(t, path)).statusCode).toBe(400);
  });

  it('refuses a PUT of a directory', async () => {
    t = await mavenApp();
    await expectRefused(() => put(t, `${G}/app/1.0/`, JAR), 400, 'invalid Maven path "org/example/app/1.0/": a directory cannot be deployed; PUT files below it\n');
  });

  it('refuses a client checksum that does not match the stored file', async () => {
    t = await mavenApp();
    await put(t, `${G}/app/1.0/app-1.0.jar`, JAR);
    const wrong = hex('sha1', 'not the jar');
    await expectRefused(() => put(t, `${G}/app/1.0/app-1.0.jar.sha1`, wrong), 400,
      `checksum mismatch for org/example/app/1.0/app-1.0.jar: the client sent sha1 ${wrong}, the file hashes to ${hex('sha1', JAR)}\n`);
    await expectRefused(() => put(t, `${G}/app/1.0/app-1.0.jar.md5`, 'zz-not-hex'), 400,
      'org/example/app/1.0/app-1.0.jar.md5: the body is not a md5 checksum (expected hex digits, optionally followed by a file name)\n');
    await expectRefused(() => put(t, `${G}/app/1.0/app-1.0.jar.sha1`, 'a'.repeat(5000)), 413, 'org/example/app/1.0/app-1.0.jar.sha1 exceeds the limit of 4096 bytes\n');
  });

  it('refuses to redeploy a release file with 409, before reading the body', async () => {
    t = await mavenApp();
    expect(await deploy(t, `${G}/app/1.0/app-1.0.jar`, JAR)).toEqual([201, 201, 201]);
    await expectRefused(() => put(t, `${G}/app/1.0/app-1.0.jar`, Buffer.from('new bytes')), 409,
      'org/example/app/1.0/app-1.0.jar is already deployed and release versions are immutable: deploy a new version (or a -SNAPSHOT), or set [maven] allow_redeploy = true\n');
    expect((await get(t, `${G}/app/1.0/app-1.0.jar`)).rawPayload.equals(JAR)).toBe(true);
    // Checksums of the deployed file are still accepted (mvn resends them).
    expect((await put(t, `${G}/app/1.0/app-1.0.jar.sha1`, hex('sha1', JAR))).statusCode).toBe(201);
  });

  it('allows a release redeploy with [maven] allow_redeploy', async () => {
    t = await mavenApp((maven) => { maven.allow_redeploy = true; });
    await put(t, `${G}/app/1.0/app-1.0.jar`, JAR);
    expect((await put(t, `${G}/app/1.0/app-1.0.jar`, Buffer.from('new bytes'))).statusCode).toBe(201);
    expect((await get(t, `${G}/app/1.0/app-1.0.jar`)).body).toBe('new bytes');
  });

  it('refuses files over [maven] max_file_size, declared or streamed', async () => {
    t = await mavenApp((maven) => { maven.max_file_size = 16; });
    const big = Buffer.alloc(17, 1);
    await expectRefused(() => put(t, `${G}/app/1.0/app-1.0.jar`, big), 413, 'org/example/app/1.0/app-1.0.jar exceeds the limit of 16 bytes\n');
    await expectRefused(() => t.app.inject({ method: 'PUT', url: `/maven2/${G}/app/1.0/app-1.0.jar`, payload: Readable.from([big.subarray(0, 10), big.subarray(10)]) }), 413,
      'org/example/app/1.0/app-1.0.jar exceeds the limit of 16 bytes\n');
    // Exactly at the limit, and with no content type at all (some clients send none).
    expect((await t.app.inject({ method: 'PUT', url: `/maven2/${G}/app/1.0/app-1.0.jar`, payload: big.subarray(0, 16) })).statusCode).toBe(201);
  });

  it('answers 404 in plain text for what is not there', async () => {
    t = await mavenApp();
    const missing = await get(t, `${G}/app/1.0/app-1.0.jar`);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toBe('not found: /maven2/org/example/app/1.0/app-1.0.jar\n');
    expect((await get(t, `${G}/app/1.0/app-1.0.jar.sha1`)).statusCode).toBe(404);
    expect((await get(t, `${G}/app/maven-metadata.xml`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/maven2/${G}/app/9.9` })).body).toBe('not found: org/example/app/9.9\n');
  });
});
