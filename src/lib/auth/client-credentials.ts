// Writes a NORA token where stock clients look for credentials: docker (~/.docker/config.json),
// npm (~/.npmrc `_authToken`), cargo (~/.cargo/credentials.toml, registry "nora") and pip/twine
// (~/.netrc, `__token__`). Each writer replaces only NORA's own entry.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type ClientName = 'docker' | 'npm' | 'cargo' | 'pip';
export const CLIENTS: ClientName[] = ['docker', 'npm', 'cargo', 'pip'];

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
}

/** Writes `token` for `registry` (the NORA base URL) into the client's file; returns the file. */
export function writeCredentials(client: ClientName, registry: string, token: string, home: string): string {
  const url = new URL(registry);
  const host = url.host;
  const base = url.pathname.replace(/\/+$/, '');
  switch (client) {
    case 'docker': {
      const file = path.join(home, '.docker', 'config.json');
      const doc = (read(file) ? JSON.parse(read(file)) : {}) as { auths?: Record<string, unknown> };
      doc.auths = { ...doc.auths, [host]: { auth: Buffer.from(`oidc:${token}`).toString('base64') } };
      write(file, `${JSON.stringify(doc, null, 2)}\n`);
      return file;
    }
    case 'npm': {
      const file = path.join(home, '.npmrc');
      const key = `//${host}${base}/npm/:_authToken=`;
      const lines = read(file).split('\n').filter((l) => l && !l.startsWith(key));
      write(file, [...lines, `${key}${token}`].join('\n') + '\n');
      return file;
    }
    case 'cargo': {
      const file = path.join(home, '.cargo', 'credentials.toml');
      const text = read(file).replace(/\[registries\.nora\]\ntoken = "[^"]*"\n?/g, '');
      write(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}[registries.nora]\ntoken = "${token}"\n`);
      return file;
    }
    case 'pip': {
      const file = path.join(home, '.netrc');
      const lines = read(file).split('\n').filter((l) => l && !l.startsWith(`machine ${url.hostname} `));
      write(file, [...lines, `machine ${url.hostname} login __token__ password ${token}`].join('\n') + '\n');
      return file;
    }
  }
}
