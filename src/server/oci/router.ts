// Splits an OCI path (after /v2/) into the resource it names. Repository names contain slashes
// and may even contain "blobs" or "manifests" as components, so each pattern is anchored at the
// end and the name is the longest prefix before it.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#endpoints
import { checkName } from '../../lib/oci/names.js';
import { OciErrors } from '../../lib/oci/errors.js';

export type OciPath =
  | { resource: 'catalog' }
  | { resource: 'tags'; name: string }
  | { resource: 'manifest'; name: string; reference: string }
  | { resource: 'uploads'; name: string; id?: string }
  | { resource: 'blob'; name: string; digest: string }
  | { resource: 'referrers'; name: string; digest: string };

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => OciPath]> = [
  [/^(.+)\/tags\/list$/, (m) => ({ resource: 'tags', name: m[1]! })],
  [/^(.+)\/manifests\/([^/]+)$/, (m) => ({ resource: 'manifest', name: m[1]!, reference: m[2]! })],
  [/^(.+)\/blobs\/uploads\/?$/, (m) => ({ resource: 'uploads', name: m[1]! })],
  [/^(.+)\/blobs\/uploads\/([^/]+)$/, (m) => ({ resource: 'uploads', name: m[1]!, id: m[2]! })],
  [/^(.+)\/blobs\/([^/]+)$/, (m) => ({ resource: 'blob', name: m[1]!, digest: m[2]! })],
  [/^(.+)\/referrers\/([^/]+)$/, (m) => ({ resource: 'referrers', name: m[1]!, digest: m[2]! })],
];

/** The resource a request path names; NAME_INVALID for a bad repository, ENDPOINT_UNKNOWN (404, sent as UNSUPPORTED) for no resource. */
export function parseOciPath(url: string): OciPath {
  const path = url.split('?', 1)[0]!.replace(/^\/v2\//, '');
  if (path === '_catalog') return { resource: 'catalog' };
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(path);
    if (!match) continue;
    const route = build(match);
    if ('name' in route) checkName(route.name);
    return route;
  }
  throw OciErrors.ENDPOINT_UNKNOWN(path);
}
