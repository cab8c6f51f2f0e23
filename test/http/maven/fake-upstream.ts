// A tiny Maven repository on 127.0.0.1:0 that plays Maven Central for the cache tests: serves
// the given files, counts requests per path, and can answer slowly.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUpstream {
  url: string;
  files: Map<string, Buffer>;
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** A file and its .sha1, as Central publishes them; `sha1` overrides the published checksum. */
export function published(path: string, content: string | Buffer, sha1?: string): Array<[string, Buffer]> {
  const bytes = Buffer.from(content);
  return [[path, bytes], [`${path}.sha1`, Buffer.from(sha1 ?? createHash('sha1').update(bytes).digest('hex'))]];
}

export async function fakeUpstream(entries: Array<[string, Buffer]>, options: { delayMs?: number } = {}): Promise<FakeUpstream> {
  const files = new Map(entries);
  const hits = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').replace(/^\/maven2\//, '');
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = files.get(path);
    setTimeout(() => {
      if (!body) {
        response.writeHead(404).end('not here');
        return;
      }
      response.writeHead(200, { 'content-length': body.length });
      // Two writes, so a receiver sees the body arrive in more than one chunk.
      response.write(body.subarray(0, Math.floor(body.length / 2)));
      response.end(body.subarray(Math.floor(body.length / 2)));
    }, options.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/maven2`,
    files,
    hits,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
