// The OCI path router (names containing resource words, nested names) and n/last pagination.
import { describe, expect, test } from 'vitest';
import { parseOciPath } from '../../../src/server/oci/router.js';
import { renderOciError } from '../../../src/server/oci/errors.js';
import type { NoraError } from '../../../src/lib/errors/nora-error.js';
import { paginateNames } from '../../../src/lib/oci/paginate.js';

describe('parseOciPath', () => {
  const hex = `sha256:${'a'.repeat(64)}`;
  test.each<[string, object]>([
    ['/v2/_catalog', { resource: 'catalog' }],
    ['/v2/app/tags/list?n=1', { resource: 'tags', name: 'app' }],
    ['/v2/a/b/c/manifests/1.0', { resource: 'manifest', name: 'a/b/c', reference: '1.0' }],
    ['/v2/a/blobs/uploads/', { resource: 'uploads', name: 'a' }],
    ['/v2/a/blobs/uploads', { resource: 'uploads', name: 'a' }],
    ['/v2/a/blobs/uploads/0123?digest=x', { resource: 'uploads', name: 'a', id: '0123' }],
    [`/v2/a/blobs/${hex}`, { resource: 'blob', name: 'a', digest: hex }],
    [`/v2/a/referrers/${hex}`, { resource: 'referrers', name: 'a', digest: hex }],
    ['/v2/blobs/manifests/manifests/latest', { resource: 'manifest', name: 'blobs/manifests', reference: 'latest' }],
    ['/v2/x/tags/list/tags/list', { resource: 'tags', name: 'x/tags/list' }],
  ])('%s', (url, expected) => expect(parseOciPath(url)).toEqual(expected));

  test('a bad name is NAME_INVALID; no resource is a 404 UNSUPPORTED', () => {
    expect(() => parseOciPath('/v2/Bad/manifests/x')).toThrow(expect.objectContaining({ code: 'NAME_INVALID', status: 400 }));
    const unknown = (() => { try { parseOciPath('/v2/app/nothing'); } catch (error) { return error as NoraError; } })();
    // NORA's code is ENDPOINT_UNKNOWN (UNSUPPORTED is 405 in the catalog); the client sees the spec's UNSUPPORTED.
    expect(renderOciError(unknown!, undefined as never)).toMatchObject({ status: 404, body: { errors: [{ code: 'UNSUPPORTED' }] } });
  });
});

describe('paginateNames', () => {
  const names = ['c', 'a', 'b', 'd'];
  test('sorted, all when no n', () => expect(paginateNames(names)).toEqual({ items: ['a', 'b', 'c', 'd'] }));
  test('first page names the next last', () => expect(paginateNames(names, 2)).toEqual({ items: ['a', 'b'], next: 'b' }));
  test('after last', () => expect(paginateNames(names, 2, 'b')).toEqual({ items: ['c', 'd'] }));
  test('n larger than the rest', () => expect(paginateNames(names, 10, 'a')).toEqual({ items: ['b', 'c', 'd'] }));
  test('n = 0 gives an empty page', () => expect(paginateNames(names, 0)).toEqual({ items: [] }));
});
