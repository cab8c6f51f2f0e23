// A tiny npm registry on 127.0.0.1:0 for upstream failure tests: it serves packuments and
// tarballs from memory, can lie about integrity, trickle tarballs slowly or never answer, and
// records every request path it receives.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePackage {
  versions: Record<string, Buffer>;
  /** Declare the integrity of other bytes than the tarball served. */
  lie?: boolean;
  /** Declare only a sha1 shasum, as packages from before integrity existed do. */
  shasumOnly?: boolean;
  /** Close the connection after half of the tarball. */
  dieMidway?: boolean;
}

export interface FakeUpstream {
  url: string;
  requests: string[];
  /** Status of each packument answer, in order (200, or 304 for a matching If-None-Match). */
  packumentStatuses: string[];
  close(): Promise<void>;
}

export interface FakeOptions {
  packages: Record<string, FakePackage>;
  /** Tarballs are sent in two halves this many ms apart. */
  trickleMs?: number;
  /** Names whose packument request is never answered. */
  hang?: string[];
  /** Send packuments with an ETag and answer a matching If-None-Match with 304, as npmjs does. */
  etags?: boolean;
}

const sri = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

export async function startFakeUpstream(options: FakeOptions): Promise<FakeUpstream> {
  const requests: string[] = [];
  const packumentStatuses: string[] = [];
  const hanging: http.ServerResponse[] = [];
  let url = '';
  const server = http.createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?', 1)[0]!);
    requests.push(path);
    const tarball = /^\/(.+)\/-\/([^/]+)$/.exec(path);
    if (tarball) {
      const pkg = options.packages[tarball[1]!];
      const version = pkg && Object.keys(pkg.versions).find((v) => tarball[2] === `${tarball[1]!.split('/').pop()}-${v}.tgz`);
      if (!pkg || !version) { response.writeHead(404).end('{}'); return; }
      const bytes = pkg.versions[version]!;
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      const half = Math.floor(bytes.length / 2);
      response.write(bytes.subarray(0, half));
      if (pkg.dieMidway) { setTimeout(() => response.destroy(), options.trickleMs ?? 0); return; }
      setTimeout(() => response.end(bytes.subarray(half)), options.trickleMs ?? 0);
      return;
    }
    const name = path.slice(1);
    if (options.hang?.includes(name)) { hanging.push(response); return; }
    const pkg = options.packages[name];
    if (!pkg) { response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}'); return; }
    const bare = name.split('/').pop();
    const versions = Object.fromEntries(Object.entries(pkg.versions).map(([v, bytes]) => [v, {
      name, version: v,
      dist: {
        tarball: `${url}/${name}/-/${bare}-${v}.tgz`,
        ...(pkg.shasumOnly
          ? { shasum: createHash('sha1').update(pkg.lie ? Buffer.concat([bytes, Buffer.from('x')]) : bytes).digest('hex') }
          : { integrity: sri(pkg.lie ? Buffer.concat([bytes, Buffer.from('x')]) : bytes) }),
      },
    }]));
    const latest = Object.keys(pkg.versions).at(-1)!;
    const body = JSON.stringify({ name, 'dist-tags': { latest }, versions, time: {} });
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (options.etags && request.headers['if-none-match'] === etag) {
      packumentStatuses.push(`${name} 304`);
      response.writeHead(304, { etag }).end();
      return;
    }
    packumentStatuses.push(`${name} 200`);
    response.writeHead(200, { 'content-type': 'application/json', ...(options.etags ? { etag } : {}) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    packumentStatuses,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
