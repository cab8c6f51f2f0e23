// One GET with a deadline, for `nora health`: the status and at most 4 KiB of the body.
import http from 'node:http';
import https from 'node:https';

export type ProbeAnswer = { status: number; body: string } | { error: string };

const MAX_BODY = 4096;

export function probeStatus(url: URL, timeoutMs: number): Promise<ProbeAnswer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    // rejectUnauthorized false: a liveness probe of the server beside it, which may use a private CA.
    const request = client.get(url, { timeout: timeoutMs, rejectUnauthorized: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk.slice(0, MAX_BODY - body.length);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', (error) => resolve({ error: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code === 'ECONNREFUSED' ? 'connection refused (is nora serve running?)' : error.message }));
  });
}
