// Headers every UI answer carries: a CSP that allows only this origin's stylesheet and script
// (no inline script, no frames, forms post only here), no MIME sniffing, no framing, no referrer
// (URLs hold names). Forms are checked to come from this origin: Basic credentials are sent by
// the browser on any site's form post, so Origin (or Sec-Fetch-Site) must say same origin.
import type { FastifyRequest } from 'fastify';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** True when a form post comes from a page of this server. */
export function isSameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    const own = [`${request.protocol}://${request.host}`, publicUrl.replace(/\/+$/, '')].filter(Boolean).map((u) => u.toLowerCase());
    return own.some((u) => u === origin.toLowerCase() || u.startsWith(`${origin.toLowerCase()}/`));
  }
  return request.headers['sec-fetch-site'] === 'same-origin';
}
