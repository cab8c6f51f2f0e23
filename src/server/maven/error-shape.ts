// Maven clients print the status line and a plain-text body: errors under /maven2/ are one line
// of text naming what failed and how to fix it.
import type { ErrorRenderer } from '../core/error-shapes.js';

export const renderMavenError: ErrorRenderer = (error) => ({
  status: error.status,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: `${error.message}\n`,
});
