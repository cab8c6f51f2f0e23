// WWW-Authenticate challenges of registries: "Bearer realm=...,service=...,scope=..." (the
// Docker token protocol) or "Basic realm=...".
// https://distribution.github.io/distribution/spec/auth/token/
export interface Challenge {
  scheme: 'bearer' | 'basic';
  params: Record<string, string>;
}

/** The first Bearer or Basic challenge of the header, or undefined. */
export function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header;
  if (!text) return undefined;
  const match = /^\s*(bearer|basic)\b\s*(.*)$/i.exec(text);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const m of match[2]!.matchAll(/([a-zA-Z_]+)=(?:"([^"]*)"|([^,\s]*))/g)) params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  return { scheme: match[1]!.toLowerCase() as Challenge['scheme'], params };
}
