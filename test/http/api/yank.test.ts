// POST /api/yank?ref=&yanked=: yank and unyank a cargo or pypi version through its format
// service (the audit and events follow), push access on the name, precise refusals.
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import type { AccessRequest, Authorizer, Identity } from '../../../src/lib/auth/access.js';

let t: TestApp | undefined;
afterEach(async () => { await t?.close(); t = undefined; });

const yank = (app: TestApp, ref: string, yanked: string) => app.app.inject({ method: 'POST', url: `/api/yank?ref=${encodeURIComponent(ref)}&yanked=${yanked}` });

describe('POST /api/yank', () => {
  it('yanks and unyanks a crate version; the index line follows', async () => {
    t = await buildTestApp();
    const published = await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload: frame(publishMetadata('yank-me', '1.0.0'), fakeCrate('yank-me', '1.0.0')) });
    expect(published.statusCode, published.payload).toBe(200);
    const response = await yank(t, 'cargo:yank-me@1.0.0', 'true');
    expect(response.statusCode, response.payload).toBe(200);
    expect(response.json()).toEqual({ ref: 'cargo:yank-me@1.0.0', yanked: true });
    expect(JSON.parse((await t.app.inject({ url: '/cargo/index/ya/nk/yank-me' })).payload)).toMatchObject({ yanked: true });
    expect((await yank(t, 'cargo:yank-me@1.0.0', 'false')).statusCode).toBe(200);
    expect(JSON.parse((await t.app.inject({ url: '/cargo/index/ya/nk/yank-me' })).payload)).toMatchObject({ yanked: false });
  });

  it.each([
    ['cargo:absent@1.0.0', 'true', 404, 'ARTIFACT_NOT_FOUND'],
    ['npm:left-pad@1.0.0', 'true', 400, 'BAD_REFERENCE'],
    ['oci:app:1.0', 'true', 400, 'BAD_REFERENCE'],
    ['cargo:x@1.0.0', 'maybe', 400, 'BAD_REFERENCE'],
    ['', 'true', 400, 'BAD_REFERENCE'],
  ])('refuses %s (yanked=%s) with %i %s', async (ref, yanked, status, code) => {
    t = await buildTestApp();
    const response = await yank(t, ref, yanked);
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
  });

  it('needs push on the name', async () => {
    const seen: AccessRequest[][] = [];
    const authorizer: Authorizer = { authorize: async (_i: Identity, requests) => { seen.push(requests); return false; } };
    t = await buildTestApp({ authorizer });
    expect((await yank(t, 'pypi:some-lib@1.0', 'true')).statusCode).toBe(401);
    expect(seen.at(-1)).toEqual([{ action: 'push', format: 'pypi', name: 'some-lib' }]);
  });
});
