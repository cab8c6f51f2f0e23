// What every npm route needs from a request: the package path after /npm/ (still encoded, so
// "@scope%2fname" and "@scope/name" are told apart only by the domain parser), the parsed target
// (memoized: the access declaration and the handler parse once), the registry's public base URL,
// and the access request for an action on the addressed package.
import type { FastifyRequest } from 'fastify';
import type { AccessRequest, Action } from '../../lib/auth/access.js';
import { parseNpmPath, type NpmTarget } from '../../lib/npm/npm-path.js';
import { publicBaseUrl } from '../core/public-url.js';

export const NPM_PREFIX = '/npm';

/** The encoded path after "/npm/" (or after "/npm/<sub>/" when `under` is given), without the query. */
export function npmPath(request: FastifyRequest, under = ''): string {
  const path = (request.raw.url ?? '').split('?', 1)[0]!;
  return path.slice(`${NPM_PREFIX}/${under}`.length);
}

const targets = new WeakMap<FastifyRequest, NpmTarget>();

export function targetOf(request: FastifyRequest): NpmTarget {
  let target = targets.get(request);
  if (!target) {
    target = parseNpmPath(npmPath(request));
    targets.set(request, target);
  }
  return target;
}

/** The URL clients reach this registry at, e.g. "http://nora:4000/npm". */
export function registryBase(request: FastifyRequest, publicUrl: string): string {
  return `${publicBaseUrl(request, publicUrl)}${NPM_PREFIX}`;
}

export const npmAccess = (action: Action, name: string): AccessRequest => ({ action, format: 'npm', name });

/** The access declaration of a package route: `action` on the package the path names. */
export const packageAccess = (action: Action) => (request: FastifyRequest): AccessRequest => npmAccess(action, targetOf(request).name.full);

/** True when an If-None-Match header names `etag` (weak comparison, lists and "*"). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === etag);
}
