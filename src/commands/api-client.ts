// The CLI side of the management API: flags naming the server and credentials, and one request
// helper whose failures map onto the exit codes scripts rely on (1 failure, 2 usage, 3 not found)
// with a sentence that says what to do: a malformed --server is a usage error, a server that
// answers 404 on /api/ is not NORA, a 401 says how to pass credentials.
import { Flags } from '@oclif/core';
import { CliFailure, EXIT, knownSystemFailure } from './output/failure.js';

export const apiFlags = {
  server: Flags.string({ description: 'URL of the NORA server.', env: 'NORA_URL', default: 'http://127.0.0.1:4000', helpValue: 'URL' }),
  token: Flags.string({ description: 'Bearer token sent with every request.', env: 'NORA_TOKEN', helpValue: 'TOKEN' }),
};

export interface ApiTarget { server: string; token?: string | undefined }

/** The server's base URL, or a usage failure naming the flag. */
export function serverUrl(server: string, flag = '--server'): URL {
  let url: URL | undefined;
  try {
    url = new URL(server.endsWith('/') ? server : `${server}/`);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) {
    throw new CliFailure(`${flag} "${server}" is not an http(s) URL: write it as http://HOST:PORT (or set NORA_URL)`, EXIT.usage);
  }
  return url;
}

interface ErrorBody { error?: { code?: string; message?: string } }

/** Calls `method path` on the server; JSON in and out (snake_case keys). Throws CliFailure. */
export async function callApi<T>(target: ApiTarget, method: string, path: string, body?: unknown): Promise<T> {
  const base = serverUrl(target.server);
  const url = new URL(path, base);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    // fetch fails with TypeError("fetch failed") and the reason as its cause.
    const reason = knownSystemFailure(error)?.message ?? ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    if (reason === 'bad port') throw new CliFailure(`${base.origin} uses port ${base.port}, which HTTP clients refuse (reserved for another protocol): use the port "nora serve" listens on`, EXIT.usage);
    throw new CliFailure(`cannot reach ${base.origin}: ${reason}`, EXIT.failure);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok && parsed !== undefined) return parsed as T;
  const error = (parsed as ErrorBody | undefined)?.error;
  // Every answer of NORA's API is JSON, errors included ({"error":{"code","message"}}).
  if (!error?.code) throw new CliFailure(`not a NORA server at ${base.origin} (${method} ${url.pathname} answered ${response.status} ${response.statusText || 'without JSON'}): check --server (or NORA_URL)`, EXIT.usage);
  if (response.status === 401) {
    throw new CliFailure(`${base.origin} has access control on and needs credentials: pass --token TOKEN or set NORA_TOKEN (an operator creates one with "nora tokens create")`, EXIT.failure);
  }
  const message = error.message ?? `${response.status} ${response.statusText}`;
  throw new CliFailure(message, response.status === 404 ? EXIT.notFound : response.status === 400 ? EXIT.usage : EXIT.failure);
}
