// What an upstream's client reads once at start: its credentials — username and password from
// the config (the password itself, a file's first line, or an environment variable), or
// user:password@ written into the URL; without a username the password is an access token, sent
// as Bearer — and the CA certificates it trusts (ca_file). The URL NORA shows (in errors, logs,
// metrics) never carries the credentials.
import { readFileSync } from 'node:fs';
import type { UpstreamSettings } from '../config/upstream-fields.js';

export interface Credentials {
  /** The HTTP URL (no cargo "sparse+") without user:password@ and without a trailing slash. */
  base: string;
  /** "Basic ..." for a username, "Bearer ..." for a bare token; undefined when anonymous. */
  header: string | undefined;
  /** Basic credentials only (what a token service or a Basic challenge wants). */
  basic: string | undefined;
}

export function readCredentials(settings: Pick<UpstreamSettings, 'url' | 'username' | 'password' | 'password_file' | 'password_env'>, env: NodeJS.ProcessEnv = process.env): Credentials {
  const url = new URL(settings.url.replace(/^sparse\+/, ''));
  const username = settings.username || decodeURIComponent(url.username);
  const password = settings.password
    || (settings.password_file ? readFileSync(settings.password_file, 'utf8').split(/\r?\n/, 1)[0]! : '')
    || (settings.password_env ? env[settings.password_env] ?? '' : '')
    || decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const base = url.href.replace(/\/+$/, '');
  const basic = username ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` : undefined;
  return { base, basic, header: basic ?? (password ? `Bearer ${password}` : undefined) };
}

/**
 * The CA certificates to trust: the system's plus ca_file's; undefined (the default) without one.
 * node:tls loads only then: importing it evaluated seven of Node's modules at every start (issue 23).
 */
export function readTrust(settings: Pick<UpstreamSettings, 'ca_file'>): { ca: string[] } | undefined {
  return settings.ca_file ? { ca: [...process.getBuiltinModule('node:tls').rootCertificates, readFileSync(settings.ca_file, 'utf8')] } : undefined;
}

/** `url` as it may be shown: without user:password@. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
}
