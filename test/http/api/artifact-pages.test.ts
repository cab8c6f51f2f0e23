// GET /api/artifacts paged by names (?limit=&after=, following `next`): the pages together are the
// unpaged listing, in order, across formats; a name's versions are never split between pages;
// a bad limit or cursor is a 400 naming it.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

interface Page { items: Array<{ type: string; name: string; version: string }>; next?: string }

async function seed(app: TestApp): Promise<void> {
  for (const [name, vers] of [['crate-a', '0.1.0'], ['crate-a', '0.2.0'], ['crate-b', '0.1.0'], ['crate-c', '0.1.0']]) {
    const res = await app.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload: frame(publishMetadata(name!, vers!), fakeCrate(name!, vers!)) });
    expect(res.statusCode, res.body).toBe(200);
  }
  for (const name of ['proj-x', 'proj-y']) {
    const dist = wheel({ name, version: '1.0' });
    const { body, contentType } = uploadForm(twineFields({ name, version: '1.0' }, dist), dist);
    const res = await app.app.inject({ method: 'POST', url: '/pypi/', payload: body, headers: { 'content-type': contentType } });
    expect(res.statusCode, res.body).toBe(200);
  }
}

async function allPages(app: TestApp, query: string, limit: number): Promise<Page[]> {
  const pages: Page[] = [];
  for (let after: string | undefined, n = 0; n < 20; n++) {
    const res = await app.app.inject({ url: `/api/artifacts?${query}&limit=${limit}${after !== undefined ? `&after=${encodeURIComponent(after)}` : ''}` });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page>();
    pages.push(page);
    if (page.next === undefined) return pages;
    after = page.next;
  }
  throw new Error('more than 20 pages');
}

const names = (page: Page) => [...new Set(page.items.map((i) => `${i.type}:${i.name}`))];

describe('GET /api/artifacts pages', () => {
  it.each([1, 2, 3, 1000])('limit=%i: the pages together are the whole listing, at most limit names each, no name split', async (limit) => {
    t = await buildTestApp();
    await seed(t);
    const whole = t.app.inject({ url: '/api/artifacts' });
    const everything = (await whole).json<Page>().items;
    expect(everything).toHaveLength(6);
    const pages = await allPages(t, '', limit);
    expect(pages.flatMap((p) => p.items)).toEqual(everything);
    for (const page of pages) expect(names(page).length).toBeLessThanOrEqual(limit);
    const seen = pages.flatMap(names);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('pages one format with type=, and answers 400 for a bad limit or cursor', async () => {
    t = await buildTestApp();
    await seed(t);
    const pages = await allPages(t, 'type=cargo', 2);
    expect(pages.map(names)).toEqual([['cargo:crate-a', 'cargo:crate-b'], ['cargo:crate-c']]);
    expect(pages[0]!.items.filter((i) => i.name === 'crate-a')).toHaveLength(2);
    for (const bad of ['limit=0', 'limit=1001', 'limit=two', 'after=nowhere', 'type=cargo&after=pypi:proj-x']) {
      const res = await t.app.inject({ url: `/api/artifacts?${bad}` });
      expect(res.statusCode, bad).toBe(400);
      expect(res.body, bad).toMatch(/limit must|after must/);
    }
  });
});
