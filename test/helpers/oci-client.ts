// A minimal OCI client for tests, over either fastify's inject() or real HTTP (fetch), so the
// same push/pull steps drive the in-process app and the real server.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export interface Res {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
  json<T = unknown>(): T;
}

export interface RequestOptions { headers?: Record<string, string>; body?: Buffer | string }
export type Http = (method: string, path: string, options?: RequestOptions) => Promise<Res>;

const res = (status: number, headers: Record<string, string | undefined>, body: Buffer): Res => ({
  status, headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T,
});

export function injectHttp(app: FastifyInstance): Http {
  return async (method, path, options = {}) => {
    const response = await app.inject({ method: method as 'GET', url: path, headers: options.headers ?? {}, ...(options.body === undefined ? {} : { payload: options.body }) });
    const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));
    return res(response.statusCode, headers, response.rawPayload);
  };
}

export function fetchHttp(baseUrl: string): Http {
  return async (method, path, options = {}) => {
    const url = /^https?:/.test(path) ? path : `${baseUrl}${path}`;
    const response = await fetch(url, { method, headers: options.headers ?? {}, ...(options.body === undefined ? {} : { body: options.body }), redirect: 'manual' });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => { headers[key] = value; });
    return res(response.status, headers, Buffer.from(await response.arrayBuffer()));
  };
}

export const digestOf = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** The path (and query) of a Location header, absolute or relative. */
export const pathOf = (location: string | undefined): string => {
  if (!location) throw new Error('no Location header');
  const url = new URL(location, 'http://x');
  return url.pathname + url.search;
};

/** Appends a query parameter to a Location the way clients do. */
export const withQuery = (location: string, param: string): string => `${location}${location.includes('?') ? '&' : '?'}${param}`;

/** Pushes a blob with POST + PUT (monolithic in a session); returns its digest. */
export async function pushBlob(http: Http, name: string, bytes: Buffer | string): Promise<string> {
  const digest = digestOf(bytes);
  const start = await http('POST', `/v2/${name}/blobs/uploads/`);
  if (start.status !== 202) throw new Error(`POST upload: ${start.status} ${start.body.toString()}`);
  const done = await http('PUT', withQuery(pathOf(start.headers.location), `digest=${digest}`), { body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (done.status !== 201) throw new Error(`PUT upload: ${done.status} ${done.body.toString()}`);
  return digest;
}

export interface PushedImage { manifest: Buffer; digest: string; config: string; layers: string[] }

/** Pushes config + layers + an OCI image manifest under `reference`. */
export async function pushImage(http: Http, name: string, reference: string, options: { layers?: string[]; subject?: { mediaType: string; digest: string; size: number }; artifactType?: string } = {}): Promise<PushedImage> {
  const configBytes = JSON.stringify({ architecture: 'amd64', os: 'linux', tag: reference, layers: options.layers });
  const config = await pushBlob(http, name, configBytes);
  const layerBytes = options.layers ?? [`layer of ${name}:${reference}`];
  const layers = await Promise.all(layerBytes.map((bytes) => pushBlob(http, name, bytes)));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: Buffer.byteLength(configBytes) },
    layers: layers.map((digest, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: Buffer.byteLength(layerBytes[i]!) })),
    ...(options.subject ? { subject: options.subject } : {}),
  }));
  const put = await http('PUT', `/v2/${name}/manifests/${reference}`, { body: manifest, headers: { 'content-type': OCI_MANIFEST } });
  if (put.status !== 201) throw new Error(`PUT manifest: ${put.status} ${put.body.toString()}`);
  return { manifest, digest: digestOf(manifest), config, layers };
}

/** Asserts-friendly view of an OCI error response: status and the first error's code. */
export function errorOf(response: Res): { status: number; code: string | undefined; message: string | undefined; detail: unknown } {
  let first: { code?: string; message?: string; detail?: unknown } | undefined;
  try {
    first = response.json<{ errors: Array<{ code: string; message: string; detail?: unknown }> }>().errors[0];
  } catch {
    first = undefined;
  }
  return { status: response.status, code: first?.code, message: first?.message, detail: first?.detail };
}
