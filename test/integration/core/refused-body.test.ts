// A request refused before its body is read must not stall the client: the answer arrives and
// the same keep-alive connection serves the next request.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { agentRequest } from '../../helpers/raw-http.js';

let server: NoraServer;
beforeAll(async () => { server = await startNora(); });
afterAll(async () => { await server.stop(); });

const send = (method: string, path: string, body: Buffer | undefined, agent: http.Agent, headers: Record<string, string> = {}) =>
  agentRequest(server.url, agent, path, { method, headers, ...(body ? { body } : {}) });

it.each([
  ['an OCI upload to an invalid name', '/v2/Bad_Name/blobs/uploads/?digest=sha256:' + '0'.repeat(64), 'NAME_INVALID'],
  ['an OCI manifest over the size limit', '/v2/team/app/manifests/huge', 'SIZE_INVALID'],
  ['an npm publish whose body names another package', '/npm/left-pad', 'error'],
])('answers %s and keeps the connection usable', async (_what, path, expected) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const body = Buffer.alloc(5 * 1024 * 1024, 0x20);
    const method = path.includes('/uploads/') ? 'POST' : 'PUT';
    const refused = await send(method, path, body, agent, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.text).toContain(expected);
    const next = await send('GET', '/health', undefined, agent);
    expect(next.status).toBe(200);
    expect(next.socket).toBe(refused.socket);
  } finally {
    agent.destroy();
  }
});
