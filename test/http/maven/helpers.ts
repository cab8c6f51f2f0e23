// Shared pieces of the Maven HTTP tests: an in-process app with no upstream, PUT/GET shortcuts,
// and a snapshot of every storage key to assert that refused requests change nothing.
import { createHash } from 'node:crypto';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { listAll } from '../../../src/lib/storage/object-store.js';
import type { NoraConfig } from '../../../src/lib/config/schema.js';

export const G = 'org/example';
export const JAR = Buffer.from('PK\u0003\u0004 fake jar bytes for tests');
export const POM = Buffer.from('<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId><artifactId>app</artifactId><version>1.0</version></project>\n');

export const hex = (alg: string, data: Buffer | string) => createHash(alg).update(data).digest('hex');

export async function mavenApp(mutate?: (maven: NoraConfig['maven']) => void): Promise<TestApp> {
  return buildTestApp({ mutate: (config) => { config.maven.upstreams = []; mutate?.(config.maven); } });
}

export async function put(t: TestApp, path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'PUT', url: `/maven2/${path}`, payload: body, headers: { 'content-type': 'application/octet-stream', ...headers } });
}

export async function get(t: TestApp, path: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') {
  return t.app.inject({ method, url: `/maven2/${path}`, headers });
}

/** Every key in the store with its etag: equal snapshots mean nothing was written or deleted. */
export async function storeSnapshot(t: TestApp): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of listAll(t.services.store, '')) keys.push(`${info.key} ${info.etag}`);
  return keys.sort();
}

/** Deploys a release file with its sha1 and md5, as mvn does. */
export async function deploy(t: TestApp, path: string, body: Buffer) {
  const responses = [await put(t, path, body), await put(t, `${path}.sha1`, hex('sha1', body)), await put(t, `${path}.md5`, hex('md5', body))];
  return responses.map((r) => r.statusCode);
}
