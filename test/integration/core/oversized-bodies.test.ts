// Every bounded request body, sent larger than its limit, is answered 413 in its protocol's shape
// — never a reset connection — with an access-log line; the connection then serves the next
// request (or the answer said `Connection: close`). Declared lengths, chunked bodies, curl, and a
// raw socket with `Expect: 100-continue` (as Maven sends uploads).
import http from 'node:http';
import net from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';
import { agentRequest, type RawResponse } from '../../helpers/raw-http.js';
import { runProcess } from '../../helpers/run-process.js';

const LIMIT = 64 * 1024;
const KIB = 1024;
let nora: NoraServer;

beforeAll(async () => {
  nora = await startNora({
    env: {
      NORA_SERVER_BODY_LIMIT: '64KiB', NORA_DOCKER_MANIFEST_MAX_SIZE: '64KiB', NORA_NPM_MAX_BODY: '64KiB',
      NORA_CARGO_MAX_METADATA_SIZE: '64KiB', NORA_CARGO_MAX_CRATE_SIZE: '64KiB', NORA_PYPI_MAX_UPLOAD_SIZE: '64KiB',
      NORA_NPM_UPSTREAM: '', NORA_MAVEN_UPSTREAM: '',
    },
  });
});
afterAll(async () => { await nora?.stop(); });

const json = (r: RawResponse) => JSON.parse(r.text) as Record<string, unknown>;
const ociCode = (r: RawResponse) => (json(r).errors as Array<{ code: string }>)[0]!.code;
const cargoDetail = (r: RawResponse) => (json(r).errors as Array<{ detail: string }>)[0]!.detail;
const npmError = (r: RawResponse) => json(r).error as string;
const noraCode = (r: RawResponse) => (json(r).error as { code: string }).code;

function cargoFrame(metadataLength: number, total: number): Buffer {
  const body = Buffer.alloc(total, 0x61);
  body.writeUInt32LE(metadataLength, 0);
  return body;
}

function pypiForm(): { body: Buffer; contentType: string } {
  const pkg = { name: 'too-big', version: '1.0' };
  const file = wheel(pkg);
  const big = { filename: file.filename, bytes: Buffer.concat([file.bytes, Buffer.alloc(300 * KIB, 1)]) };
  return uploadForm(twineFields(pkg, big), big);
}

interface Case {
  what: string;
  method: string;
  path: string;
  body: () => Buffer;
  contentType?: string;
  /** Asserts the body is the protocol's 413 shape. */
  shape: (r: RawResponse) => void;
}

const form = pypiForm();
const CASES: Case[] = [
  { what: 'a 70 KB Maven checksum', method: 'PUT', path: '/maven2/com/example/app/1.0/app-1.0.jar.sha1', body: () => Buffer.alloc(70_000, 0x61),
    shape: (r) => { expect(r.headers['content-type']).toMatch(/^text\/plain/); expect(r.text).toMatch(/exceeds the limit of 4096 bytes/); } },
  { what: 'a 1.1 MB maven-metadata.xml', method: 'PUT', path: '/maven2/com/example/app/maven-metadata.xml', body: () => Buffer.alloc(1_100_000, 0x20),
    shape: (r) => { expect(r.headers['content-type']).toMatch(/^text\/plain/); expect(r.text).toMatch(/exceeds the limit of 1048576 bytes/); } },
  { what: 'an OCI manifest over docker.manifest_max_size', method: 'PUT', path: '/v2/team/app/manifests/v1', body: () => Buffer.alloc(300 * KIB, 0x20),
    contentType: 'application/vnd.oci.image.manifest.v1+json', shape: (r) => expect(ociCode(r)).toBe('SIZE_INVALID') },
  { what: 'a cargo owners body', method: 'PUT', path: '/cargo/api/v1/crates/demo/owners', body: () => Buffer.alloc(300 * KIB, 0x20),
    shape: (r) => expect(cargoDetail(r)).toMatch(/limit/) },
  { what: 'a cargo publish over max_metadata_size', method: 'PUT', path: '/cargo/api/v1/crates/new', body: () => cargoFrame(200 * KIB, 300 * KIB),
    shape: (r) => expect(cargoDetail(r)).toMatch(/limit/) },
  { what: 'an npm publish over max_body', method: 'PUT', path: '/npm/too-big', contentType: 'application/json',
    body: () => Buffer.from(`{"name":"too-big","readme":"${'a'.repeat(300 * KIB)}"}`), shape: (r) => expect(npmError(r)).toMatch(/limit/) },
  { what: 'an npm dist-tag body over server.body_limit', method: 'PUT', path: '/npm/-/package/too-big/dist-tags/beta', contentType: 'application/json',
    body: () => Buffer.from(`"${'1'.repeat(300 * KIB)}"`), shape: (r) => expect(npmError(r)).toMatch(/body_limit/) },
  { what: 'an npm login body over server.body_limit', method: 'PUT', path: '/npm/-/user/org.couchdb.user:bob', contentType: 'application/json',
    body: () => Buffer.from(`{"name":"bob","password":"${'p'.repeat(300 * KIB)}"}`), shape: (r) => expect(npmError(r)).toMatch(/body_limit/) },
  { what: 'a token request over server.body_limit', method: 'POST', path: '/api/tokens', contentType: 'application/json',
    body: () => Buffer.from(`{"name":"${'n'.repeat(300 * KIB)}"}`), shape: (r) => expect(noraCode(r)).toBe('TOO_LARGE') },
  { what: 'an OIDC token exchange over server.body_limit', method: 'POST', path: '/auth/oidc/token', contentType: 'application/json',
    body: () => Buffer.from(`{"token":"${'t'.repeat(300 * KIB)}"}`), shape: (r) => expect(noraCode(r)).toBe('TOO_LARGE') },
  { what: 'a management API body over server.body_limit', method: 'POST', path: '/api/tags', contentType: 'application/json',
    body: () => Buffer.from(`{"source":"${'s'.repeat(300 * KIB)}"}`), shape: (r) => expect(noraCode(r)).toBe('TOO_LARGE') },
  { what: 'a twine upload over max_upload_size', method: 'POST', path: '/pypi/', contentType: form.contentType, body: () => form.body,
    shape: (r) => { expect(r.headers['content-type']).toMatch(/^text\/plain/); expect(r.text).toMatch(/limit/); } },
];

/** The access log has a 413 line for `method path`. */
function logged413(method: string, urlPath: string): boolean {
  return nora.logs().split('\n').some((line) => line.includes('"msg":"request"') && line.includes(`"method":"${method}"`) && line.includes(`"path":"${urlPath}"`) && line.includes('"status":413'));
}

describe.each([['declared length', false], ['chunked', true]] as const)('with a %s', (_mode, chunked) => {
  it.each(CASES.map((c) => [c.what, c] as const))('refuses %s with 413 in its shape and keeps the connection usable', async (_what, c) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = c.body();
      const headers: Record<string, string> = c.contentType ? { 'content-type': c.contentType } : {};
      if (!chunked) headers['content-length'] = String(body.length);
      const refused = await agentRequest(nora.url, agent, c.path, { method: c.method, headers, body, chunked });
      expect(refused.status, refused.text).toBe(413);
      c.shape(refused);
      const next = await agentRequest(nora.url, agent, '/health');
      expect(next.status).toBe(200);
      // The connection is reused, unless the answer announced that it closes.
      if (refused.headers.connection !== 'close') expect(next.socket).toBe(refused.socket);
      await expect.poll(() => logged413(c.method, c.path)).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});

describe('curl', () => {
  it.each([
    ['a 70 KB checksum', '/maven2/com/example/app/1.0/app-1.0.jar.sha1', 70_000, 'exceeds the limit of 4096 bytes'],
    ['a 1.1 MB maven-metadata.xml', '/maven2/com/example/app/maven-metadata.xml', 1_100_000, 'exceeds the limit of 1048576 bytes'],
  ])('gets 413 and the message for %s, also with Expect: 100-continue', async (_what, urlPath, size, message) => {
    const file = path.join(nora.dataDir, '..', `${path.basename(nora.dataDir)}-body`);
    await writeFile(file, Buffer.alloc(size, 0x61));
    for (const expectHeader of [[], ['-H', 'Expect: 100-continue']]) {
      const run = await runProcess('curl', ['-sS', '-X', 'PUT', '--data-binary', `@${file}`, ...expectHeader, '-w', '\n%{http_code}', `${nora.url}${urlPath}`]);
      expect(run.stderr).toBe('');
      const lines = run.stdout.trim().split('\n');
      expect(lines.at(-1)).toBe('413');
      expect(lines[0]).toContain(message);
    }
    await runProcess('rm', ['-f', file]);
  });
});

/** Sends `head` and `body` over a raw socket as a client using Expect: 100-continue would. */
function expectContinue(head: string, body: Buffer): Promise<{ continued: boolean; response: string; next: string }> {
  const { port } = new URL(nora.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let received = '';
    let continued = false;
    let response = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('stalled')));
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed; received: ${received}`)));
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      if (!continued && received.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
        continued = true;
        received = received.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
        socket.write(body);
      }
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received.slice(0, end));
      if (!response && end > 0 && length && received.length >= end + 4 + Number(length[1])) {
        response = received.slice(0, end + 4 + Number(length[1]));
        received = received.slice(response.length);
        socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      } else if (response && /^HTTP\/1\.1 \d+/.test(received) && received.includes('"status":"ok"')) {
        socket.removeAllListeners('close');
        socket.destroy();
        resolve({ continued, response, next: received });
      }
    });
    socket.write(head);
  });
}

describe('Expect: 100-continue over a raw socket', () => {
  it.each([
    ['a 70 KB checksum', '/maven2/com/example/app/1.0/app-1.0.jar.sha1', 70_000, 'exceeds the limit of 4096 bytes'],
    ['a 1.1 MB maven-metadata.xml', '/maven2/com/example/app/maven-metadata.xml', 1_100_000, 'exceeds the limit of 1048576 bytes'],
    ['an OCI manifest', '/v2/team/app/manifests/v2', LIMIT + 1, 'SIZE_INVALID'],
  ])('answers %s with 413 and serves the next request on the same connection', async (_what, urlPath, size, message) => {
    const head = `PUT ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${size}\r\nExpect: 100-continue\r\n\r\n`;
    const { response, next } = await expectContinue(head, Buffer.alloc(size, 0x61));
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response).toContain(message);
    expect(next).toMatch(/^HTTP\/1\.1 200 /);
  });
});
