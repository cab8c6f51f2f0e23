// PyPI clients print errors as plain text: pip shows the body of a failed page, and twine
// shows the HTTP reason phrase (warehouse puts the message there), so errors under /simple/ and
// /pypi/ are a text body AND a reason phrase carrying the same one-line message.
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { ErrorRenderer, NotFound } from '../core/error-shapes.js';

export { reasonPhrase, registerReasonPhrase } from '../core/reason-phrase.js';

/** pip sends credentials only after a Basic challenge, so 401s carry one. */
export const renderPypiError: ErrorRenderer = (error) => ({
  status: error.status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...(error.status === 401 ? { 'www-authenticate': 'Basic realm="NORA PyPI"' } : {}) },
  body: `${error.message}\n`,
});

/** A miss in the index's words (warehouse answers "404 Not Found"). */
export const pypiNotFound: NotFound = () => CommonErrors.NOT_FOUND_AS('Not Found');
