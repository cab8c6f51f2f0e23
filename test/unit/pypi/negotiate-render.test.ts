// PEP 691 content negotiation and the HTML/JSON spellings of the simple pages.
import { describe, expect, it } from 'vitest';
import { negotiate, SIMPLE_HTML, SIMPLE_JSON, TEXT_HTML } from '../../../src/lib/pypi/negotiate.js';
import { escapeHtml, projectListHtml, projectListJson, projectPageHtml, projectPageJson } from '../../../src/lib/pypi/render-simple.js';
import { parseAnchors } from '../../../src/lib/pypi/html-anchors.js';
import type { ProjectPage } from '../../../src/lib/pypi/simple-page.js';

describe('negotiate', () => {
  it.each([
    [undefined, TEXT_HTML],
    ['', TEXT_HTML],
    ['*/*', TEXT_HTML],
    ['text/html', TEXT_HTML],
    ['application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01', SIMPLE_JSON],
    ['application/vnd.pypi.simple.latest+json', SIMPLE_JSON],
    ['application/vnd.pypi.simple.latest+html', SIMPLE_HTML],
    ['text/html;q=0.9, application/vnd.pypi.simple.v1+json;q=0.5', TEXT_HTML],
    ['application/vnd.pypi.simple.v1+json;q=0, */*;q=0.1', TEXT_HTML],
    ['application/*', SIMPLE_HTML],
    ['application/vnd.pypi.simple.v1+html, application/vnd.pypi.simple.v1+json', SIMPLE_HTML],
    ['text/*;q=0.5, application/vnd.pypi.simple.v1+json;q=0.4', TEXT_HTML],
    ['APPLICATION/VND.PYPI.SIMPLE.V1+JSON', SIMPLE_JSON],
  ])('Accept %j gives %s', (accept, expected) => expect(negotiate(accept)).toBe(expected));

  it.each(['application/json', 'application/vnd.pypi.simple.v2+json', 'text/html;q=0', 'image/png, application/xml'])('Accept %j is not acceptable', (accept) => {
    expect(negotiate(accept)).toBeUndefined();
  });

  it('lets ?format= override the header', () => {
    expect(negotiate('text/html', SIMPLE_JSON)).toBe(SIMPLE_JSON);
    expect(negotiate(SIMPLE_JSON, 'text/html')).toBe(TEXT_HTML);
    expect(negotiate(undefined, 'application/json')).toBeUndefined();
  });
});

const page: ProjectPage = {
  name: 'Nora<Demo>',
  versions: ['1.0', '2.0'],
  files: [
    { filename: 'nora_demo-1.0-py3-none-any.whl', url: 'http://h/pypi/files/nora-demo/nora_demo-1.0-py3-none-any.whl', sha256: 'a'.repeat(64), requiresPython: '>=3.8,<4', coreMetadataSha256: 'b'.repeat(64), size: 10, uploadTime: '2026-01-01T00:00:00.000Z', version: '1.0' },
    { filename: 'nora_demo-2.0.tar.gz', url: 'http://h/pypi/files/nora-demo/nora_demo-2.0.tar.gz', sha256: 'c'.repeat(64), yanked: 'broken "build" <b>', version: '2.0' },
    { filename: 'nora_demo-2.0-py3-none-any.whl', url: 'http://h/x.whl', sha256: 'd'.repeat(64), yanked: '' },
  ],
};

describe('render', () => {
  it('escapes HTML', () => expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'));

  it('writes PEP 503 HTML that reads back to the same values', () => {
    const html = projectPageHtml(page);
    expect(html).toContain('<meta name="pypi:repository-version" content="1.1">');
    expect(html).toContain('data-requires-python="&gt;=3.8,&lt;4"');
    expect(html).not.toContain('<b>');
    const anchors = parseAnchors(html);
    expect(anchors.map((a) => a.text)).toEqual(page.files.map((f) => f.filename));
    expect(anchors[0]!.attributes.get('href')).toBe(`${page.files[0]!.url}#sha256=${'a'.repeat(64)}`);
    expect(anchors[0]!.attributes.get('data-requires-python')).toBe('>=3.8,<4');
    expect(anchors[0]!.attributes.get('data-core-metadata')).toBe(`sha256=${'b'.repeat(64)}`);
    expect(anchors[0]!.attributes.get('data-dist-info-metadata')).toBe(`sha256=${'b'.repeat(64)}`);
    expect(anchors[0]!.attributes.has('data-yanked')).toBe(false);
    expect(anchors[1]!.attributes.get('data-yanked')).toBe('broken "build" <b>');
    expect(anchors[2]!.attributes.get('data-yanked')).toBe('');
  });

  it('writes PEP 691 JSON with PEP 700 fields', () => {
    const json = JSON.parse(projectPageJson(page));
    expect(json.meta).toEqual({ 'api-version': '1.1' });
    expect(json.name).toBe('nora<demo>');
    expect(json.versions).toEqual(['1.0', '2.0']);
    expect(json.files[0]).toEqual({
      filename: 'nora_demo-1.0-py3-none-any.whl', url: page.files[0]!.url, hashes: { sha256: 'a'.repeat(64) }, 'requires-python': '>=3.8,<4',
      'core-metadata': { sha256: 'b'.repeat(64) }, 'dist-info-metadata': { sha256: 'b'.repeat(64) }, yanked: false, size: 10, 'upload-time': '2026-01-01T00:00:00.000Z',
    });
    expect(json.files[1].yanked).toBe('broken "build" <b>');
    expect(json.files[1]['core-metadata']).toBe(false);
    expect(json.files[2].yanked).toBe(true);
  });

  it('lists projects in both forms', () => {
    expect(JSON.parse(projectListJson(['a', 'b-c']))).toEqual({ meta: { 'api-version': '1.1' }, projects: [{ name: 'a' }, { name: 'b-c' }] });
    expect(parseAnchors(projectListHtml(['a', 'b-c'])).map((a) => a.attributes.get('href'))).toEqual(['a/', 'b-c/']);
  });
});
