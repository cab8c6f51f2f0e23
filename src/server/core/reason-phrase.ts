// Clients that print only the status line of a failed upload (twine, Maven's resolver: "status:
// 403 Forbidden") show the reason phrase, so a plugin may carry its plain-text error message
// there too (warehouse does the same for twine).
import type { FastifyInstance } from 'fastify';

/** A reason phrase is one line of visible ASCII; anything else would corrupt the status line. */
export function reasonPhrase(message: string): string {
  return message.split('\n', 1)[0]!.replace(/[^\x20-\x7e]/g, '?').trim().slice(0, 400);
}

/** Copies a plain-text error body into the reason phrase of the plugin's error responses (those `when` accepts). */
export function registerReasonPhrase(app: FastifyInstance, when: (status: number) => boolean = (status) => status >= 400): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (when(reply.statusCode) && reply.statusCode >= 400 && typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith('text/plain')) {
      const phrase = reasonPhrase(payload);
      if (phrase) reply.raw.statusMessage = phrase;
    }
    return payload;
  });
}
