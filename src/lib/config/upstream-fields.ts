// The one shape of an upstream, whatever the format: every [[<format>.upstreams]] table has these
// keys (a format adds its own few: docker's default/prefix/allow_push, cargo's dl), and
// src/lib/upstream builds one HTTP client from them.
import { duration, integer, string, type Infer } from './field.js';

const HTTP_URL = /^https?:\/\/[^/\s]+(\/[^\s]*)?$/;

/** A URL as `nora config check` shows it: a password written into it masked. */
const maskPassword = (url: string): string => url.replace(/^((?:sparse\+)?[a-z]+:\/\/[^/:@\s]*:)[^/@\s]+@/i, '$1***@');

export interface UpstreamDefaults {
  metadataTtl: string;
  maxConcurrency: number;
  /** What the format accepts as an upstream URL (with an example). */
  url: { pattern: RegExp; example: string };
}

export function upstreamFields({ metadataTtl, maxConcurrency, url }: UpstreamDefaults) {
  return {
    name: string('', {
      doc: 'Name of the upstream in logs, metrics and errors (e.g. "central"); empty uses the URL\'s host.',
      check: (v) => (v === '' || /^[a-z0-9][a-z0-9_-]{0,62}$/.test(v) ? undefined : `expected a short lowercase name such as "central", got "${v}"`),
    }),
    url: string('', {
      doc: `Base URL of the upstream (e.g. ${url.example}); user:password@ in it is sent as Basic credentials and never shown.`,
      check: (v) => (url.pattern.test(v) ? undefined : `expected an http(s) URL such as "${url.example}", got "${maskPassword(v)}"`),
      redact: maskPassword,
    }),
    timeout: duration('30s', { doc: 'Time the upstream may take to send response headers, or between body chunks, before it counts as down (504 when nothing is cached).' }),
    metadata_ttl: duration(metadataTtl, { doc: 'How long cached metadata that can change upstream (tags, packuments, maven-metadata.xml, project pages, index files) is served before it is revalidated.' }),
    max_concurrency: integer(maxConcurrency, { doc: 'Most concurrent requests NORA sends to this upstream.', min: 1, max: 1024 }),
    username: string('', { doc: 'User for the upstream\'s Basic (or OCI token) authentication; empty pulls anonymously.' }),
    password: string('', { doc: 'Password or access token for username; without a username it is sent as a Bearer token (prefer password_file or password_env).', secret: true }),
    password_file: string('', { doc: 'File whose first line is the password.' }),
    password_env: string('', { doc: 'Environment variable holding the password.' }),
    proxy: string('', {
      doc: 'HTTP proxy for requests to this upstream (e.g. http://proxy.internal:3128; user:password@ in it are its credentials); empty connects directly.',
      check: (v) => (v === '' || HTTP_URL.test(v) ? undefined : `expected an http(s) URL such as "http://proxy.internal:3128", got "${maskPassword(v)}"`),
      redact: maskPassword,
    }),
    ca_file: string('', { doc: 'PEM file of CA certificates trusted for this upstream\'s TLS besides the system ones (a private CA).' }),
  };
}

/** The keys every upstream has, as the HTTP client reads them. */
export type UpstreamSettings = Infer<ReturnType<typeof upstreamFields>>;

/** Checks of the old keys that held upstream URLs (empty: no upstream). */
export const oldUrlCheck = (pattern: RegExp) => (v: string): string | undefined => (v === '' || pattern.test(v) ? undefined : `expected an http(s) URL, got "${maskPassword(v)}"`);
export const oldUrlsCheck = (list: string[]): string | undefined => {
  const bad = list.find((x) => !HTTP_URL.test(x));
  return bad === undefined ? undefined : `expected http(s) URLs, got "${maskPassword(bad)}"`;
};

export const URLS = {
  http: (example: string) => ({ pattern: HTTP_URL, example }),
  /** A host without a path: OCI registries live at /v2/ of their origin. */
  origin: (example: string) => ({ pattern: /^https?:\/\/[^/\s]+\/?$/, example }),
  /** A sparse index, with or without cargo's "sparse+" prefix. */
  sparse: (example: string) => ({ pattern: /^(sparse\+)?https?:\/\/[^/\s]+(\/[^\s]*)?$/, example }),
};
