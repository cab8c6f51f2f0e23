// npm's error body, `{"error": "<message>"}` (the npm CLI prints it after the status code), for
// every error under /npm/. The stable NORA code rides along as `code` for scripts.
import type { ErrorRenderer } from '../core/error-shapes.js';

export const renderNpmError: ErrorRenderer = (error) => ({
  status: error.status,
  body: { error: error.message, code: error.code },
});
