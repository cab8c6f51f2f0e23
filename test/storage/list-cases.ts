// List cases of the storage contract: prefix filtering, byte order, pagination and '/'
// grouping, each checked against S3 ListObjectsV2 semantics (the reference for every adapter).
import { describe, expect } from 'vitest';
import type { ListPage, ObjectStore } from '../../src/lib/storage/object-store.js';
import type { SuiteTest } from './suite-helpers.js';

const keysOf = (page: ListPage) => page.items.map((item) => item.key);

export function listCases({ test, store }: { test: SuiteTest; store: () => ObjectStore }): void {
  describe('list', () => {
    const putAll = (keys: string[]) => Promise.all(keys.map((key) => store().put(key, Buffer.from(key))));
    const removeAll = (keys: string[]) => Promise.all(keys.map((key) => store().delete(key)));

    test('filters by prefix, with or without a trailing slash', async () => {
      const keys = ['ls/x/1', 'ls/x/2', 'ls/xy', 'ls/y/1'];
      await putAll(keys);
      expect(keysOf(await store().list('ls/x/'))).toEqual(['ls/x/1', 'ls/x/2']);
      expect(keysOf(await store().list('ls/x'))).toEqual(['ls/x/1', 'ls/x/2', 'ls/xy']);
      expect(keysOf(await store().list('ls/none/'))).toEqual([]);
      const page = await store().list('ls/');
      expect(page.items.find((i) => i.key === 'ls/xy')).toMatchObject({ size: 5 });
      expect(page.cursor).toBeUndefined();
      await removeAll(keys);
    });
    test('orders keys by byte value across separators', async () => {
      const keys = ['ls/a/b/c', 'ls/a-c', 'ls/a/d', 'ls/a0', 'ls/a.b'];
      await putAll(keys);
      expect(keysOf(await store().list('ls/'))).toEqual(['ls/a-c', 'ls/a.b', 'ls/a/b/c', 'ls/a/d', 'ls/a0']);
      await removeAll(keys);
    });
    test('a key may also be the prefix of other keys', async () => {
      const keys = ['ls/a/b', 'ls/a-c', 'ls/a/b/c'];
      await putAll(keys);
      expect(keysOf(await store().list('ls/'))).toEqual(['ls/a-c', 'ls/a/b', 'ls/a/b/c']);
      expect(keysOf(await store().list('ls/a/b'))).toEqual(['ls/a/b', 'ls/a/b/c']);
      await removeAll(keys);
    });
    test('paginates with limit 2 through every page', async () => {
      const keys = ['pg/1', 'pg/2', 'pg/3', 'pg/4', 'pg/5'];
      await putAll(keys);
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store().list('pg/', { limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        pages.push(keysOf(page));
        cursor = page.cursor;
      } while (cursor !== undefined && pages.length < 10);
      expect(pages).toEqual([['pg/1', 'pg/2'], ['pg/3', 'pg/4'], ['pg/5']]);
      await removeAll(keys);
    });
    test("delimiter '/' groups the keys below the next '/' into prefixes", async () => {
      const keys = ['dl/a', 'dl/b/1', 'dl/b/2', 'dl/c/1', 'dl/e'];
      await putAll(keys);
      const page = await store().list('dl/', { delimiter: '/' });
      expect({ items: keysOf(page), prefixes: page.prefixes }).toEqual({ items: ['dl/a', 'dl/e'], prefixes: ['dl/b/', 'dl/c/'] });
      const nested = await store().list('dl/b', { delimiter: '/' });
      expect({ items: keysOf(nested), prefixes: nested.prefixes }).toEqual({ items: [], prefixes: ['dl/b/'] });
      await removeAll(keys);
    });
    test("delimiter '/' reports a prefix whose keys are all several levels deeper", async () => {
      const keys = ['dd/a', 'dd/b/c/d/1', 'dd/b/c/2'];
      await putAll(keys);
      const page = await store().list('dd/', { delimiter: '/' });
      expect({ items: keysOf(page), prefixes: page.prefixes }).toEqual({ items: ['dd/a'], prefixes: ['dd/b/'] });
      const inner = await store().list('dd/b/', { delimiter: '/' });
      expect({ items: keysOf(inner), prefixes: inner.prefixes }).toEqual({ items: [], prefixes: ['dd/b/c/'] });
      await removeAll(keys);
    });
    test('a cursor continues a delimited listing without repeats', async () => {
      const keys = ['dc/a', 'dc/b/1', 'dc/b/2', 'dc/c/1', 'dc/d', 'dc/e/1'];
      await putAll(keys);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await store().list('dc/', { delimiter: '/', limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.items.length + page.prefixes.length).toBeLessThanOrEqual(2);
        seen.push(...keysOf(page), ...page.prefixes);
        cursor = page.cursor;
        if (cursor === undefined) break;
      }
      expect(seen.sort()).toEqual(['dc/a', 'dc/b/', 'dc/c/', 'dc/d', 'dc/e/']);
      await removeAll(keys);
    });
  });
}
