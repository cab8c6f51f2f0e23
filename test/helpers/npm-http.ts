// Small HTTP helpers for npm tests against real processes: publish a fixture body, and count the
// requests a NORA process logged for a path (its access log is the upstream's request counter).
import { publishBody, type PublishBodyOptions } from './npm-fixtures.js';
import type { NoraServer } from './nora-process.js';

export async function publish(baseUrl: string, name: string, options: PublishBodyOptions = {}): Promise<Response> {
  const url = `${baseUrl}/npm/${name.replace('/', '%2f')}`;
  return fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: 'Bearer dummy' }, body: JSON.stringify(publishBody(name, options)) });
}

export interface LoggedRequest { method: string; path: string; status: number }

export function loggedRequests(server: NoraServer): LoggedRequest[] {
  return server.logs().split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as LoggedRequest);
}

/** GET requests the server logged whose path (without query) equals `path`. */
export const requestsFor = (server: NoraServer, path: string): LoggedRequest[] => loggedRequests(server).filter((r) => r.method === 'GET' && r.path.split('?', 1)[0] === path);
