// The CLI side of the management API: flags naming the server and credentials, and one request
// helper whose failures map onto the exit codes scripts rely on (1 failure, 2 usage, 3 not found).
import { Flags } from '@oclif/core';

export const apiFlags = {
  server: Flags.string({ description: 'URL of the NORA server.', env: 'NORA_URL', default: 'http://127.0.0.1:4000', helpValue: 'URL' }),
  token: Flags.string({ description: 'Bearer token sent with every request.', env: 'NORA_TOKEN', helpValue: 'TOKEN' }),
};

export class ApiFailure extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

/** Calls `method path` on the server; JSON in and out. Throws ApiFailure with the exit code. */
export async function callApi<T>(flags: { server: string; token?: string | undefined }, method: string, path: string, body?: unknown): Promise<T> {
  const url = new URL(path, flags.server.endsWith('/') ? flags.server : `${flags.server}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(flags.token ? { authorization: `Bearer ${flags.token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiFailure(`cannot reach ${flags.server}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`, 1);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed as T;
  const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? `${response.status} ${response.statusText}`;
  throw new ApiFailure(message, response.status === 404 ? 3 : response.status === 400 ? 2 : 1);
}
