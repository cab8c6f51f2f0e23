// JSON and text bodies are parsed into memory, so they are bounded by server.json_body_limit
// (1 MiB), far below server.body_limit: run with the binary's own heap ceiling (64 MiB), a 24 MB
// JSON body to the public npm login route used to kill the process (JavaScript heap out of
// memory). Now each such body is a 413 in its protocol's shape and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import http from 'node:http';
import { agentRequest } from '../../helpers/raw-http.js';

let nora: NoraServer;
// The execArgv of sea-config.json, which the single binary runs with.
beforeAll(async () => { nora = await startNora({ env: { NODE_OPTIONS: '--max-old-space-size=64 --max-semi-space-size=1', NORA_NPM_UPSTREAM: '' } }); });
afterAll(async () => { await nora?.stop(); });

const manyObjects = (bytes: number) => Buffer.from(`{"name":"bob","password":[${'{},'.repeat(Math.floor(bytes / 3))}{}]}`);

describe('bodies parsed into memory', { timeout: 120_000 }, () => {
  it.each([
    ['the npm login route (public)', 'PUT', '/npm/-/user/org.couchdb.user:bob', 'application/json', (r: string) => expect(JSON.parse(r)).toMatchObject({ code: 'TOO_LARGE', error: expect.stringContaining('request body (server.json_body_limit) exceeds the limit of 1048576 bytes') })],
    ['the management API', 'POST', '/api/gc', 'application/json', (r: string) => expect(JSON.parse(r).error).toMatchObject({ code: 'TOO_LARGE' })],
    ['a text body', 'POST', '/api/gc', 'text/plain', (r: string) => expect(JSON.parse(r).error).toMatchObject({ code: 'TOO_LARGE' })],
  ])('24 MB to %s → 413, and the server keeps serving', async (what, method, path, type, shape) => {
    // The text case checks that text bodies share the limit: 2 MB (over the 1 MiB limit) fits in
    // loopback socket buffers, so the client's write cannot race the server's early answer.
    const body = manyObjects(what === 'a text body' ? 2 * 1024 * 1024 : 24 * 1024 * 1024);
    // A keep-alive client: with `Connection: close` Node ends the socket after the answer, and a
    // client still writing the body would see EPIPE. The server drains the body instead.
    const agent = new http.Agent({ keepAlive: true });
    const refused = await agentRequest(nora.url, agent, path, { method, headers: { 'content-type': type, 'content-length': String(body.length) }, body }).finally(() => agent.destroy());
    expect(refused.headers.connection).not.toBe('close');
    expect(refused.status, refused.text.slice(0, 300)).toBe(413);
    shape(refused.text);
    expect((await fetch(`${nora.url}/health`)).status).toBe(200);
  });

  it('takes a body under the limit', async () => {
    const response = await fetch(`${nora.url}/npm/-/package/none/dist-tags/beta`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: JSON.stringify('1.0.0') });
    expect(response.status).toBe(404); // parsed, then: no such package
    expect(await response.json()).toMatchObject({ code: 'NPM_NOT_LOCAL' });
  });
});
