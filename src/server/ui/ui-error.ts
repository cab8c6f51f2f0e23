// Errors under /ui/ as HTML pages with the UI's security headers. A 401 carries the Basic
// challenge, so a browser shows its sign-in prompt; the page itself names nothing stored.
import type { ErrorRenderer } from '../core/error-shapes.js';
import { html } from './html.js';
import { page } from './layout.js';
import { SECURITY_HEADERS } from './security.js';

export const renderUiError: ErrorRenderer = (error) => {
  const signIn = error.status === 401;
  const body = signIn
    ? html`<h1>Sign in</h1><p id="sign-in">This registry needs you to sign in with your user name and password, or with an API token as the password.</p><p><a href="/ui/sign-in">Sign in</a></p>`
    : html`<h1>${error.status === 404 ? 'Not found' : 'Error'}</h1><p>${error.message}</p><p><a href="/ui/">Back to the overview</a></p>`;
  return {
    status: error.status,
    headers: {
      ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store',
      ...(signIn ? { 'www-authenticate': 'Basic realm="NORA", charset="UTF-8"' } : {}),
    },
    body: page(undefined, signIn ? 'Sign in' : 'Error', body).text,
  };
};
