// HTTP tests of twine's upload API and the simple pages over memory storage (inject).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { sdist, sha256, twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';
import { listAll } from '../../../src/lib/storage/object-store.js';

let t: TestApp;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

async function keys(): Promise<string[]> {
  const out: string[] = [];
  for await (const info of listAll(t.services.store, '')) out.push(info.key);
  return out.sort();
}

async function post(fields: Record<string, string | undefined>, file?: { filename: string; bytes: Buffer }, url = '/pypi/') {
  const { body, contentType } = uploadForm(fields, file);
  return t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType } });
}

describe('upload', () => {
  it('accepts a wheel and an sdist and lists them', async () => {
    const pkg = { name: 'Nora-Demo', version: '1.0', requiresPython: '>=3.8' };
    const whl = wheel(pkg);
    const tgz = sdist(pkg);
    const r1 = await post(twineFields(pkg, whl), whl);
    expect(r1.statusCode, r1.body).toBe(200);
    const r2 = await post(twineFields(pkg, tgz), tgz, '/pypi');
    expect(r2.statusCode, r2.body).toBe(200);
    const page = await t.app.inject({ url: '/simple/nora-demo/', headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    expect(page.statusCode).toBe(200);
    const json = page.json();
    expect(json.files).toHaveLength(2);
    expect(json.files[0].hashes.sha256).toBe(sha256(whl.bytes));
    expect(json.files[0]['core-metadata']).toEqual({ sha256: sha256(Buffer.from(whl.metadata)) });
    const meta = await t.app.inject({ url: `/pypi/files/nora-demo/${whl.filename}.metadata` });
    expect(meta.statusCode).toBe(200);
    expect(meta.body).toBe(whl.metadata);
    const file = await t.app.inject({ url: `/pypi/files/nora-demo/${whl.filename}` });
    expect(file.rawPayload.equals(whl.bytes)).toBe(true);
    const html = await t.app.inject({ url: '/simple/nora-demo/' });
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('data-requires-python="&gt;=3.8"');
  });

  it('refuses a duplicate with "already exists"', async () => {
    const pkg = { name: 'dup', version: '1.0' };
    const whl = wheel(pkg);
    expect((await post(twineFields(pkg, whl), whl)).statusCode).toBe(200);
    const before = await keys();
    const again = await post(twineFields(pkg, whl), whl);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('already exists');
    expect(await keys()).toEqual(before);
  });
});
