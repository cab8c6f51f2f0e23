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
