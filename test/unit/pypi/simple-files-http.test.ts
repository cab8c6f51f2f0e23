// The simple pages and file downloads over HTTP (inject): negotiation, redirects, ETags,
// ranges, HEAD, and what an unknown project or file answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { sha256, twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';

let t: TestApp;
const pkg = { name: 'My_Pkg', version: '1.0', requiresPython: '>=3.8' };
const whl = wheel(pkg);
const fileUrl = `/pypi/files/my-pkg/${whl.filename}`;

beforeAll(async () => {
  t = await buildTestApp({ settings: { 'server.public_url': 'https://nora.example/' } });
  const { body, contentType } = uploadForm(twineFields(pkg, whl), whl);
  const response = await t.app.inject({ method: 'POST', url: '/simple/', payload: body, headers: { 'content-type': contentType } });
  expect(response.statusCode, response.body).toBe(200);
});
afterAll(async () => { await t.close(); });

describe('simple pages', () => {
  it('redirects non-normalized and slash-less project URLs, keeping the query', async () => {
    for (const [url, location] of [['/simple/My_Pkg/', '/simple/my-pkg/'], ['/simple/my-pkg', '/simple/my-pkg/'], ['/simple/MY.PKG?format=text/html', '/simple/my-pkg/?format=text/html'], ['/simple', '/simple/']]) {
      const response = await t.app.inject({ url: url! });
      expect(response.statusCode, url).toBe(301);
      expect(response.headers.location).toBe(location);
    }
  });

  it('negotiates the content type, with ?format= as a fallback', async () => {
    const json = await t.app.inject({ url: '/simple/my-pkg/', headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    expect(json.headers['content-type']).toBe('application/vnd.pypi.simple.v1+json');
    expect(json.headers.vary).toBe('Accept');
    expect(json.json().files[0].url).toBe(`https://nora.example${fileUrl}`);
    const versioned = await t.app.inject({ url: '/simple/my-pkg/', headers: { accept: 'application/vnd.pypi.simple.v1+html' } });
    expect(versioned.headers['content-type']).toBe('application/vnd.pypi.simple.v1+html; charset=utf-8');
    const viaQuery = await t.app.inject({ url: '/simple/my-pkg/?format=application/vnd.pypi.simple.v1%2Bjson', headers: { accept: 'text/html' } });
    expect(viaQuery.headers['content-type']).toBe('application/vnd.pypi.simple.v1+json');
    const refused = await t.app.inject({ url: '/simple/my-pkg/', headers: { accept: 'application/xml' } });
    expect(refused.statusCode).toBe(406);
    expect(refused.body).toContain('application/vnd.pypi.simple.v1+json');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await t.app.inject({ url: '/simple/' });
    expect(first.body).toContain('<a href="my-pkg/">my-pkg</a>');
    const again = await t.app.inject({ url: '/simple/', headers: { 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    const json = await t.app.inject({ url: '/simple/', headers: { accept: 'application/vnd.pypi.simple.v1+json', 'if-none-match': first.headers.etag as string } });
    expect(json.statusCode).toBe(200);
  });

  it('answers an unknown project with a plain-text 404', async () => {
    const response = await t.app.inject({ url: '/simple/unknown/' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toBe('not found: project unknown\n');
    expect(response.statusMessage).toBe('not found: project unknown');
  });
});

describe('files', () => {
  it('serves the file with a strong ETag, ranges and HEAD', async () => {
    const full = await t.app.inject({ url: fileUrl });
    expect(full.statusCode).toBe(200);
    expect(full.headers.etag).toBe(`"${sha256(whl.bytes)}"`);
    expect(full.headers['content-length']).toBe(String(whl.bytes.length));
    expect(sha256(full.rawPayload)).toBe(sha256(whl.bytes));
    const cached = await t.app.inject({ url: fileUrl, headers: { 'if-none-match': full.headers.etag as string } });
    expect(cached.statusCode).toBe(304);
    const part = await t.app.inject({ url: fileUrl, headers: { range: 'bytes=0-9' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-9/${whl.bytes.length}`);
    expect(part.rawPayload.equals(whl.bytes.subarray(0, 10))).toBe(true);
    const tail = await t.app.inject({ url: fileUrl, headers: { range: 'bytes=-4' } });
    expect(tail.rawPayload.equals(whl.bytes.subarray(-4))).toBe(true);
    const outside = await t.app.inject({ url: fileUrl, headers: { range: `bytes=${whl.bytes.length}-` } });
    expect(outside.statusCode).toBe(416);
    expect(outside.headers['content-range']).toBe(`bytes */${whl.bytes.length}`);
    const head = await t.app.inject({ method: 'HEAD', url: fileUrl });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(whl.bytes.length));
    expect(head.body).toBe('');
  });

  it('serves the PEP 658 metadata next to the wheel, and nothing for unknown files', async () => {
    const meta = await t.app.inject({ url: `${fileUrl}.metadata` });
    expect(meta.body).toBe(whl.metadata);
    expect(meta.headers.etag).toBe(`"${sha256(Buffer.from(whl.metadata))}"`);
    for (const url of ['/pypi/files/my-pkg/my_pkg-9.0.tar.gz', '/pypi/files/other/x.whl', `/pypi/files/my-pkg/${whl.filename}.metadata.metadata`]) {
      const response = await t.app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });
});
