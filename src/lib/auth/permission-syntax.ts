// The permission grammar shared by config rules, tokens and OIDC rules: `ACTION:GLOB` or
// `ACTION:FORMAT:GLOB` (e.g. "pull:*", "push:npm:@acme/*"). Parsing only; matching is permissions.ts.
// "metrics" is reading /metrics when [metrics] public = false; only it asks for that action, so a
// "metrics:*" token reads the metrics and nothing else (admin implies it, as every action).
export const ACTIONS = ['pull', 'push', 'delete', 'admin', 'metrics'] as const;
export const FORMATS = ['oci', 'npm', 'maven', 'cargo', 'pypi', 'nora'] as const;

export interface PermissionSpec {
  action: (typeof ACTIONS)[number];
  /** Undefined = every format. */
  format?: string;
  glob: string;
}

/** Parses one permission, or returns why it is malformed. */
export function parsePermission(text: string): PermissionSpec | string {
  const parts = text.split(':');
  const action = parts[0] as PermissionSpec['action'];
  if (!ACTIONS.includes(action)) return `"${text}": the action must be one of ${ACTIONS.join(', ')}`;
  if (parts.length === 2 && parts[1]) return { action, glob: parts[1] };
  if (parts.length === 3 && parts[2]) {
    if (!(FORMATS as readonly string[]).includes(parts[1]!)) return `"${text}": unknown format "${parts[1]}" (one of ${FORMATS.join(', ')})`;
    return { action, format: parts[1], glob: parts[2] };
  }
  return `"${text}": expected ACTION:GLOB or ACTION:FORMAT:GLOB`;
}

/**
 * picomatch syntax beyond `*` and `?`: classes, braces, extglobs, alternation (`a|b` matches "b"),
 * negation, escapes. A leading "./" is stripped by picomatch, so "./a" would match "a".
 */
const RICH_GLOB = /[[\]{}()!+|\\]|^\.\//;

/** True when `text` is a plain name: as a glob it matches exactly itself and nothing else. */
export function isLiteralName(text: string): boolean {
  return text !== '' && !RICH_GLOB.test(text) && !/[*?]/.test(text);
}

/** True when `text` is a name or a glob using only `*`, `**` and `?` (what DESIGN.md documents). */
export function isSimpleGlob(text: string): boolean {
  return text !== '' && !RICH_GLOB.test(text);
}

/** A config `check`: the first malformed permission's problem, or undefined. */
export function checkPermissions(list: string[]): string | undefined {
  for (const text of list) {
    const parsed = parsePermission(text);
    if (typeof parsed === 'string') return parsed;
  }
  return undefined;
}

/** OIDC issuers must be https://, except http:// on a loopback address (tests, local issuers). */
export function checkIssuer(url: string): string | undefined {
  if (url === '') return 'must be set (the provider\'s issuer URL)';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: "${url}"`;
  }
  if (parsed.protocol === 'https:') return undefined;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) || parsed.hostname.startsWith('127.');
  if (parsed.protocol === 'http:' && loopback) return undefined;
  return `must be an https:// URL (http:// only on a loopback address), got "${url}"`;
}
