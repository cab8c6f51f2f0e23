// The keys of one [[webhooks]] table: where a hook posts, which events and names it selects,
// how the body is signed and shaped, and how hard delivery tries. src/lib/webhooks reads them.
import { duration, integer, oneOf, string, strings, table, type Infer } from './field.js';
import { simpleGlobProblem } from '../glob/simple-glob.js';

/** Event names a hook may select: the bus's mutations and pulls (src/lib/events/bus.ts). */
export const WEBHOOK_EVENTS = ['push', 'delete', 'tag', 'untag', 'yank', 'unyank', 'owners', 'deprecate', 'undeprecate', 'plugin-prefix', 'pull'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Formats a `match` entry may name before its ':' ('*' for any). */
export const WEBHOOK_FORMATS = ['oci', 'npm', 'maven', 'cargo', 'pypi', '*'] as const;

const HOOK_URL = /^https?:\/\/[^/\s?#]+(\/[^\s]*)?$/;
const maskPassword = (url: string): string => url.replace(/^(https?:\/\/[^/:@\s]*:)[^/@\s]+@/i, '$1***@');

/** Why a `match` entry ("oci:prod/**", "npm:@acme/*", or a bare glob for every format) is wrong. */
export function matchProblem(entry: string): string | undefined {
  const colon = entry.indexOf(':');
  const format = colon < 0 ? '*' : entry.slice(0, colon);
  const glob = colon < 0 ? entry : entry.slice(colon + 1);
  if (!(WEBHOOK_FORMATS as readonly string[]).includes(format)) return `"${entry}": the format before ':' must be one of ${WEBHOOK_FORMATS.join(', ')}`;
  if (glob === '') return `"${entry}": the name glob after ':' is empty`;
  const problem = simpleGlobProblem(glob);
  return problem && `"${entry}": ${problem}`;
}

const RESERVED_HEADERS = /^(content-type|content-length|host|transfer-encoding|connection|x-nora-.*)$/i;

function headerProblem(name: string): string | undefined {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return `"${name}" is not a valid header name`;
  return RESERVED_HEADERS.test(name) ? `"${name}" is set by NORA itself` : undefined;
}

export const webhookFields = {
  name: string('', {
    doc: 'Name of the hook in deliveries, logs and `nora webhooks test NAME` (lowercase letters, digits, - and _).',
    check: (v) => (/^[a-z0-9][a-z0-9_-]{0,62}$/.test(v) ? undefined : `expected a short lowercase name such as "ci", got "${v}"`),
  }),
  url: string('', {
    doc: 'http(s) URL events are POSTed to; checked at start (no user:password@: credentials go in headers). Redirects are not followed.',
    check: (v) => {
      if (!HOOK_URL.test(v) || !URL.canParse(v)) return `expected an http(s) URL such as "https://ci.example.com/hooks/nora", got "${maskPassword(v)}"`;
      const url = new URL(v);
      return url.username || url.password ? `credentials in the URL are not sent; put them in headers (e.g. { "Authorization" = "Bearer ..." }), got "${maskPassword(v)}"` : undefined;
    },
    redact: maskPassword,
  }),
  events: strings([], {
    doc: `Events delivered: ${WEBHOOK_EVENTS.map((e) => `"${e}"`).join(', ')}; empty means every change (all but "pull").`,
    check: (list) => {
      const bad = list.find((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
      return bad === undefined ? undefined : `unknown event "${bad}"; expected some of ${WEBHOOK_EVENTS.join(', ')}`;
    },
  }),
  match: strings([], {
    doc: 'Globs over FORMAT:NAME selecting the artifacts delivered, e.g. ["oci:prod/**", "npm:@acme/*"] (`*` stays in one segment, `**` crosses; a bare glob matches every format); empty selects every name.',
    check: (list) => list.map(matchProblem).find((p) => p !== undefined),
  }),
  secret_env: string('', {
    doc: 'Environment variable holding the signing secret: each body is signed as X-Nora-Signature: sha256=<hex HMAC-SHA256>; empty sends unsigned. Must be set when the server starts.',
    check: (v) => (v === '' || /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : `expected an environment variable name, got "${v}"`),
  }),
  format: oneOf(['nora', 'cloudevents'] as const, 'nora', { doc: 'Body shape: "nora" (NORA\'s JSON) or "cloudevents" (CloudEvents 1.0 structured JSON, application/cloudevents+json).' }),
  headers: table<string>('string', {
    doc: 'Extra request headers, e.g. { "X-Team" = "platform" } (or an Authorization the receiver wants); values are never logged and `nora config check` masks them. Content-Type, Content-Length, Host and X-Nora-* are NORA\'s own.',
    check: (headers) => Object.keys(headers).map(headerProblem).find((p) => p !== undefined),
    redact: (headers) => Object.fromEntries(Object.keys(headers).map((name) => [name, '***'])),
  }),
  timeout: duration('10s', { doc: 'Time a receiver has to answer one delivery attempt before it counts as failed.' }),
  max_attempts: integer(8, { doc: 'Attempts before a delivery is dead-lettered (shown by `nora webhooks deliveries --failed`).', min: 1, max: 100 }),
  retry_delay: duration('10s', { doc: 'Wait after the first failed attempt; it doubles after each further one (with jitter), up to 1h.' }),
  keep_delivered: duration('7d', { doc: 'How long acknowledged deliveries stay listed before they are pruned (dead-lettered ones stay until redelivered).' }),
  concurrency: integer(4, { doc: 'Most deliveries of this hook in flight at once (per server).', min: 1, max: 256 }),
};

export type WebhookSettings = Infer<typeof webhookFields>;
