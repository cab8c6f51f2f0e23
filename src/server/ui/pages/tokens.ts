// The signed-in user's API tokens: list, create (the secret is shown once, on the answer to the
// form, never again) and revoke. The work is server/core/token-actions.ts, as for /api/tokens.
import type { TokenRecord } from '../../../lib/auth/tokens.js';
import { time } from '../format-values.js';
import { html, type Html } from '../html.js';
import { snippet } from '../layout.js';
import type { Viewer } from '../viewer.js';

/** The lifetimes the form offers, in seconds (0: never expires). */
export const TOKEN_LIFETIMES: Record<string, number> = { '1 day': 86_400, '30 days': 30 * 86_400, '90 days': 90 * 86_400, '1 year': 365 * 86_400, never: 0 };

export interface CreatedToken { token: string; record: TokenRecord }

function createForm(): Html {
  return html`<h2>Create a token</h2><form method="post" action="/ui/tokens" class="token-form">
<p><label>Name <input name="name" required maxlength="64" pattern="[A-Za-z0-9_.@\\-]{1,64}" placeholder="ci-deploy"></label></p>
<p><label>Expires <select name="expires_in">${Object.entries(TOKEN_LIFETIMES).map(([label, seconds]) => html`<option value="${seconds}"${label === '90 days' ? html` selected` : ''}>${label}</option>`)}</select></label></p>
<p><label>Permissions <input name="permissions" placeholder="pull:* push:team/*" size="40"></label><br><span class="muted">Space-separated ACTION:[FORMAT:]GLOB; empty gives the token your own permissions.</span></p>
<p><button type="submit">Create token</button></p></form>`;
}

export function tokensPage(viewer: Viewer, tokens: TokenRecord[], notice?: { created?: CreatedToken; revoked?: string; error?: string }): Html {
  if (!viewer.signedIn) {
    return html`<h1>Tokens</h1><p>${viewer.authEnabled ? html`<a href="/ui/sign-in">Sign in</a> to manage your API tokens.` : 'Access control is off on this server: there are no users, so there are no tokens to manage.'}</p>`;
  }
  const created = notice?.created;
  const rows = tokens.map((t) => html`<tr><td>${t.name}</td><td><code>${t.id}</code></td><td>${t.permissions.map((p) => html`<span class="tag">${p}</span>`)}</td><td class="n">${time(t.created)}</td><td class="n">${time(t.expires ?? undefined, 'never')}</td><td class="n">${time(t.last_used ?? undefined, 'never')}</td>
<td><form method="post" action="/ui/tokens/revoke" data-confirm="Revoke token ${t.name}?"><input type="hidden" name="id" value="${t.id}"><button type="submit">Revoke</button></form></td></tr>`);
  return html`<h1>Tokens</h1>
${created ? html`<div class="notice" id="new-token"><p>Token <b>${created.record.name}</b> created. Copy it now: it is shown only once.</p>${snippet(created.token)}</div>` : ''}
${notice?.revoked ? html`<p class="notice" id="revoked">Token <code>${notice.revoked}</code> revoked.</p>` : ''}
${notice?.error ? html`<p class="notice warn" id="token-error">${notice.error}</p>` : ''}
${rows.length ? html`<div class="scroll"><table id="tokens"><tr><th>Name</th><th>Id</th><th>Permissions</th><th class="n">Created</th><th class="n">Expires</th><th class="n">Last used</th><th></th></tr>${rows}</table></div>` : html`<p class="muted">You have no tokens.</p>`}
${createForm()}`;
}
