// A webhook receiver on 127.0.0.1 (a real HTTP server, port 0) for webhook tests: it records every
// request with its raw body and answers with what `respond` says (200 unless told otherwise), so
// a test can make it fail a few times, verify signatures, and count acknowledged deliveries.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json: Record<string, unknown>;
  /** The status this receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Delivery ids answered with a 2xx, with how many times each was. */
  acknowledged(): Map<string, number>;
  /** Decides the status of the next request (default 200); a promise holds the answer back. */
  respond: (request: Omit<ReceivedRequest, 'status'>, index: number) => number | Promise<number>;
  /** Requests received and not answered yet, and the most there ever were at once. */
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let received = 0;
  const receiver: WebhookReceiver = {
    url: '',
    requests,
    acknowledged: () => {
      const acks = new Map<string, number>();
      for (const r of requests) if (r.status < 300) acks.set(String(r.json.id), (acks.get(String(r.json.id)) ?? 0) + 1);
      return acks;
    },
    respond: () => 200,
    inFlight: 0,
    maxInFlight: 0,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    receiver.inFlight++;
    receiver.maxInFlight = Math.max(receiver.maxInFlight, receiver.inFlight);
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        // recorded as is
      }
      const seen = { path: req.url ?? '', headers: req.headers, body, json };
      const index = received++;
      const status = await receiver.respond(seen, index);
      receiver.inFlight--;
      requests.push({ ...seen, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `receiver says no (${status})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/nora`;
  return receiver;
}
