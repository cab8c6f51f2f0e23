// Tag-list and catalog page sizes over fastify inject(): `n` that is not a non-negative integer
// is PAGINATION_NUMBER_INVALID (distribution's code) instead of being ignored.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { errorOf, injectHttp, pushImage, type Http } from '../../helpers/oci-client.js';

let t: TestApp;
let http: Http;
beforeEach(async () => {
  t = await buildTestApp();
  http = injectHttp(t.app);
  for (const tag of ['a', 'b', 'c']) await pushImage(http, 'team/app', tag);
});
afterEach(async () => { await t.close(); });

test.each(['-1', 'abc', '1.5', '', '1e3', '0x10', ' 2', '+2', '99999999999999999999'])('n=%j is PAGINATION_NUMBER_INVALID on the tag list and the catalog', async (n) => {
  for (const path of ['/v2/team/app/tags/list', '/v2/_catalog']) {
    const error = errorOf(await http('GET', `${path}?n=${encodeURIComponent(n)}`));
    expect(error, path).toMatchObject({ status: 400, code: 'PAGINATION_NUMBER_INVALID' });
    expect(error.message).toContain('n must be an integer from 0 to');
  }
});

test('n given twice is PAGINATION_NUMBER_INVALID', async () => {
  expect(errorOf(await http('GET', '/v2/team/app/tags/list?n=1&n=2'))).toMatchObject({ status: 400, code: 'PAGINATION_NUMBER_INVALID' });
});

test('valid page sizes still page: n=0 is an empty page, n=2 links to the rest, a huge n lists all', async () => {
  expect((await http('GET', '/v2/team/app/tags/list?n=0')).json()).toEqual({ name: 'team/app', tags: [] });
  const first = await http('GET', '/v2/team/app/tags/list?n=2');
  expect(first.json()).toEqual({ name: 'team/app', tags: ['a', 'b'] });
  expect(first.headers.link).toBe('</v2/team/app/tags/list?n=2&last=b>; rel="next"');
  expect((await http('GET', '/v2/team/app/tags/list?n=007')).json()).toEqual({ name: 'team/app', tags: ['a', 'b', 'c'] });
  expect((await http('GET', `/v2/_catalog?n=${Number.MAX_SAFE_INTEGER}`)).json()).toEqual({ repositories: ['team/app'] });
});
