// A request refused before its body is read must not stall the client: the answer arrives,
// says Connection: close, and a new request on a new connection works.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';

let server: NoraServer;
beforeAll(async () => { server = await startNora(); });
afterAll(async () => { await server.stop(); });

function put(path: string, body: Buffer, agent: http.Agent): Promise<{ status: number; connection: string | undefined; text: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path, method: 'PUT', agent, headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) } }, (response) => {
      let text = '';
      response.on('data', (d: Buffer) => { text += d.toString(); });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

it('answers a refused 4 MiB upload and keeps serving the client', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const refused = await put('/v2/Bad_Name/blobs/uploads/x?digest=sha256:' + '0'.repeat(64), Buffer.alloc(4 * 1024 * 1024, 1), agent);
    expect(refused.status).toBe(400);
    expect(refused.connection).toBe('close');
    expect(refused.text).toContain('NAME_INVALID');
    const next = await fetch(`${server.url}/health`);
    expect(next.status).toBe(200);
  } finally {
    agent.destroy();
  }
});
