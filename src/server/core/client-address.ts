// The client's address, as logs, the audit log and login throttling see it. fastify's trustProxy
// (given [server] trusted_proxies) walks X-Forwarded-For from the right and stops at the first
// hop that is not a trusted proxy: the right-most untrusted hop, which a client cannot forge.
// That hop is still whatever text the header held ("<script>", 10 KB), so only a valid IP address
// is believed; otherwise the nearest hop to its right — the trusted proxy that passed it on — is.
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** A valid IP address (IPv4-mapped IPv6 as IPv4, no zone), or "unknown" without a socket. */
    clientAddress: string;
  }
}

/** The address in canonical text, or undefined when `text` is not an IP address. */
export function validAddress(text: string | undefined): string | undefined {
  if (!text || !isIP(text)) return undefined;
  const bare = text.split('%', 1)[0]!;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  return mapped ? mapped[1] : bare.toLowerCase();
}

export function clientAddressOf(request: FastifyRequest): string {
  // `ips` (with trustProxy): the socket's address, then X-Forwarded-For right to left, ending at
  // the first untrusted hop. Without trustProxy, `ip` is the socket's address.
  const hops = request.ips ?? [request.ip];
  for (let i = hops.length - 1; i >= 0; i--) {
    const address = validAddress(hops[i]);
    if (address) return address;
  }
  return validAddress(request.socket?.remoteAddress) ?? 'unknown';
}

/** Sets `request.clientAddress` first thing, so every later hook and handler sees it. */
export function registerClientAddress(app: FastifyInstance): void {
  app.decorateRequest('clientAddress', '');
  app.addHook('onRequest', async (request) => {
    request.clientAddress = clientAddressOf(request);
  });
}
