// HTTP requests with the path sent exactly as written: fetch() normalises "%2e%2e" and "..",
// which is precisely what traversal tests must not have done for them.
import http from 'node:http';

export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: Buffer; text: string }

export function rawRequest(baseUrl: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method: options.method ?? 'GET', path, headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, text: body.toString() });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

export interface AgentResponse extends RawResponse { socket: unknown }

/** One request through `agent` (keep-alive tests compare `socket` across requests); 10 s stall guard. */
export function agentRequest(baseUrl: string, agent: http.Agent, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer; chunked?: boolean } = {}): Promise<AgentResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', agent, headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, text: body.toString(), socket: request.socket });
      });
    });
    request.setTimeout(10_000, () => request.destroy(new Error('request stalled')));
    request.on('error', reject);
    const body = options.body;
    // Two writes without a Content-Length: node sends the body chunked.
    if (body && options.chunked) { request.write(body.subarray(0, 1)); request.end(body.subarray(1)); } else request.end(body);
  });
}
