// A small HTTP proxy between NORA and an upstream registry that counts requests and injects
// faults: a status (429 with Retry-After, 503) for matching requests, a connection cut after some
// body bytes, a delay before answering, or no answer at all (until the client gives up or the
// proxy closes: a timeout test that no machine speed can turn into a slow success). Location headers are rewritten to keep clients on it.
import http from 'node:http';
import type net from 'node:net';

export interface Fault {
  /** Which requests (METHOD path) it applies to. */
  match: RegExp;
  status?: number;
  headers?: Record<string, string>;
  /** Forward the request but cut the connection after this many body bytes. */
  cutAfter?: number;
  delayMs?: number;
  /** Never answer (the request is held until the client gives up or the proxy closes). */
  hang?: boolean;
  /** How many requests it applies to (default: every one). */
  times?: number;
}

export interface FaultProxy {
  url: string;
  host: string;
  /** "METHOD /path" of every request received, in order. */
  requests: string[];
  faults: Fault[];
  count(pattern: RegExp): number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: string[] = [];
  const faults: Fault[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    requests.push(line);
    const fault = faults.find((f) => f.match.test(line) && (f.times === undefined || f.times > 0));
    if (fault?.times !== undefined) fault.times--;
    const go = () => {
      if (fault?.status) {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"injected"}]}');
        return;
      }
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          if (fault?.cutAfter !== undefined && sent + chunk.length > fault.cutAfter) {
            res.write(chunk.subarray(0, Math.max(0, fault.cutAfter - sent)));
            res.socket?.destroy();
            answer.destroy();
            return;
          }
          sent += chunk.length;
          res.write(chunk);
        });
        answer.on('end', () => res.end());
      });
      forward.on('error', () => res.socket?.destroy());
      req.pipe(forward);
    };
    if (fault?.hang) return;
    if (fault?.delayMs) setTimeout(go, fault.delayMs);
    else go();
  });
  server.on('connection', (socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    faults,
    count: (pattern) => requests.filter((r) => pattern.test(r)).length,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
