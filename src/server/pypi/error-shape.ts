// PyPI clients print errors as plain text: pip shows the body of a failed page, and twine
// shows the HTTP reason phrase (warehouse puts the message there), so errors under /simple/ and
// /pypi/ are a text body AND a reason phrase carrying the same one-line message.
import type { FastifyInstance } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { ErrorRenderer, NotFound } from '../core/error-shapes.js';

/** pip sends credentials only after a Basic challenge, so 401s carry one. */
export const renderPypiError: ErrorRenderer = (error) => ({
  status: error.status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...(error.status === 401 ? { 'www-authenticate': 'Basic realm="NORA PyPI"' } : {}) },
  body: `${error.message}\n`,
});

/** A reason phrase is one line of visible ASCII; anything else would corrupt the status line. */
export function reasonPhrase(message: string): string {
  return message.split('\n', 1)[0]!.replace(/[^\x20-\x7e]/g, '?').trim().slice(0, 400);
}

/** Copies a plain-text error body into the reason phrase of the plugin's error responses. */
export function registerReasonPhrase(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith('text/plain')) {
      const phrase = reasonPhrase(payload);
      if (phrase) reply.raw.statusMessage = phrase;
    }
    return payload;
  });
}

/** A miss in the index's words (warehouse answers "404 Not Found"). */
export const pypiNotFound: NotFound = () => CommonErrors.NOT_FOUND_AS('Not Found');
