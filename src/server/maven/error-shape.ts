// Maven clients print the status line and a plain-text body: errors under /maven2/ are one line
// of text naming what failed and how to fix it. Maven sends credentials on downloads only after
// a Basic challenge, so an anonymous caller who is denied gets 401 with one, not 403 (or 404).
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { ErrorRenderer, NotFound } from '../core/error-shapes.js';

export const MAVEN_REALM = 'NORA Maven repository';

export const renderMavenError: ErrorRenderer = (error, request) => {
  const text = { 'content-type': 'text/plain; charset=utf-8' };
  if (error.status === 401 || (error.code === 'DENIED' && (request.identity as { kind?: string } | null)?.kind === 'anonymous')) {
    return { status: 401, headers: { ...text, 'www-authenticate': `Basic realm="${MAVEN_REALM}"` }, body: `${error.code === 'UNAUTHORIZED' ? '' : 'authentication required: '}${error.message}\n` };
  }
  return { status: error.status, headers: text, body: `${error.message}\n` };
};

/** A miss in Maven repository words: the status line's reason phrase. */
export const mavenNotFound: NotFound = () => CommonErrors.NOT_FOUND_AS('Not Found');
