// npm's error body, `{"error": "<message>"}` (the npm CLI prints it after the status code), for
// every error under /npm/. The stable NORA code rides along as `code` for scripts.
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { ErrorRenderer, NotFound } from '../core/error-shapes.js';

export const renderNpmError: ErrorRenderer = (error) => ({
  status: error.status,
  body: { error: error.message, code: error.code },
});

/** The npm registry's own words for a miss. */
export const npmNotFound: NotFound = () => CommonErrors.NOT_FOUND_AS('Not found');
