// The access each OCI request needs, decided from its method and path before the body is read:
// reads need pull, writes push, deletes delete; a cross-repository mount also needs pull on the
// source repository.
import type { FastifyRequest } from 'fastify';
import type { AccessRequest } from '../../lib/auth/access.js';
import { checkName } from '../../lib/oci/names.js';
import { parseOciPath, type OciPath } from './router.js';

const parsed = new WeakMap<FastifyRequest, OciPath>();

/** The request's parsed path, computed once. */
export function ociPathOf(request: FastifyRequest): OciPath {
  let path = parsed.get(request);
  if (!path) {
    path = parseOciPath(request.url);
    parsed.set(request, path);
  }
  return path;
}

export function ociAccess(request: FastifyRequest): AccessRequest[] {
  const path = ociPathOf(request);
  if (path.resource === 'catalog') return [{ action: 'pull', format: 'oci', name: '' }];
  const method = request.method;
  const own = (action: AccessRequest['action']): AccessRequest => ({ action, format: 'oci', name: path.name });
  if (path.resource === 'uploads') {
    const { mount, from } = request.query as Record<string, string | undefined>;
    if (method === 'POST' && mount !== undefined && from !== undefined) return [own('push'), { action: 'pull', format: 'oci', name: checkName(from) }];
    return [own('push')];
  }
  if (method === 'GET' || method === 'HEAD') return [own('pull')];
  if (method === 'DELETE') return [own('delete')];
  return [own('push')];
}
