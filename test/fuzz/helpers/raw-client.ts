// One HTTP/1.1 request over a fresh socket, written byte for byte: the request target, header
// values and body go out exactly as generated (fetch and node:http normalise or refuse the
// hostile ones), with `Connection: close`, and the answer is read until the server closes.
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target, sent as UTF-8 bytes without any encoding or checking. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface RawAnswer {
  /** The status code, or 0 when the server closed without answering. */
  status: number;
  /** The first bytes of the answer, for failure reports. */
  text: string;
  /** The answer's body (up to 64 KiB; chunked encoding left as sent). */
  body: string;
  /** Set when the socket failed or stalled. */
  error?: string;
}

/** Sends `request` to 127.0.0.1:`port`; a request that gets no answer within `stallMs` reports error "stalled". */
export function sendRaw(port: number, request: RawRequest, stallMs: number): Promise<RawAnswer> {
  const body = request.body ?? Buffer.alloc(0);
  const headers = { host: `127.0.0.1:${port}`, connection: 'close', ...request.headers };
  const lower = Object.keys(headers).map((h) => h.toLowerCase());
  if (!lower.includes('content-length') && !lower.includes('transfer-encoding') && (body.length > 0 || ['PUT', 'POST', 'PATCH'].includes(request.method))) {
    (headers as Record<string, string>)['content-length'] = String(body.length);
  }
  // A space in a path is sent encoded: raw, it would end the request target (a trailing one is
  // read as the separator, so the server saw a valid path the oracle took for a hostile one).
  const head = `${request.method} ${request.path.replace(/ /g, '%20')} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(stallMs, () => { error = 'stalled'; socket.destroy(); });
    let kept = 0;
    socket.on('data', (chunk: Buffer) => { if (kept < 64 * 1024) { chunks.push(chunk); kept += chunk.length; } });
    // The server may answer and close before the whole body is written (EPIPE, ECONNRESET).
    socket.on('error', (e: NodeJS.ErrnoException) => { error ??= e.code ?? e.message; });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      // Interim answers (100 Continue) come first; the status is the final one's.
      const codes = [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
      const status = codes.find((code) => code >= 200) ?? 0;
      const body = text.slice(text.indexOf('\r\n\r\n') + 4, 64 * 1024);
      resolve({ status, text: text.slice(0, 600), body, ...(error && status === 0 ? { error } : error === 'stalled' ? { error } : {}) });
    });
    socket.write(Buffer.concat([Buffer.from(head, 'utf8'), body]));
  });
}
