// Bad uploads over HTTP (inject): each answers the status and message twine prints (body and
// reason phrase) and leaves the store exactly as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { twineFields, uploadForm, wheel, zip } from '../../helpers/pypi-dists.js';
import { listAll } from '../../../src/lib/storage/object-store.js';

let t: TestApp;
beforeEach(async () => { t = await buildTestApp({ settings: { 'pypi.max_upload_size': '64KiB' } }); });
afterEach(async () => { await t.close(); });

async function keys(): Promise<string[]> {
  const out: string[] = [];
  for await (const info of listAll(t.services.store, '')) out.push(info.key);
  return out.sort();
}

const pkg = { name: 'nora-demo', version: '1.0' };
const good = wheel(pkg);
const fields = twineFields(pkg, good);

function inject(body: Buffer, contentType: string) {
  return t.app.inject({ method: 'POST', url: '/pypi/', payload: body, headers: { 'content-type': contentType } });
}

const cases: Array<{ what: string; fields: Record<string, string | undefined>; file?: { filename: string; bytes: Buffer }; status: number; message: string }> = [
  { what: 'a filename of another kind', fields, file: { filename: 'nora_demo-1.0.exe', bytes: good.bytes }, status: 400, message: 'invalid distribution filename' },
  { what: 'a filename of another project', fields, file: { filename: 'other-1.0-py3-none-any.whl', bytes: good.bytes }, status: 400, message: 'is for project "other"' },
  { what: 'a filename of another version', fields: { ...fields, version: '2.0' }, file: good, status: 400, message: 'for version 1.0, not 2.0' },
  { what: 'a path in the filename', fields, file: { filename: `../${good.filename}`, bytes: good.bytes }, status: 400, message: 'invalid distribution filename' },
  { what: 'a backslash path in the filename', fields, file: { filename: `..\\${good.filename}`, bytes: good.bytes }, status: 400, message: 'invalid distribution filename' },
  { what: 'a wrong sha256', fields: { ...fields, sha256_digest: '0'.repeat(64) }, file: good, status: 400, message: 'digest mismatch: declared sha256:0000' },
  { what: 'a wrong md5', fields: { ...fields, md5_digest: 'f'.repeat(32) }, file: good, status: 400, message: 'declared md5:ffff' },
  { what: 'a wrong blake2_256 (checked when no sha256 is sent)', fields: { ...fields, sha256_digest: undefined, blake2_256_digest: 'a'.repeat(64) }, file: good, status: 400, message: 'declared blake2_256:aaaa' },
  { what: 'a malformed digest', fields: { ...fields, sha256_digest: 'xyz' }, file: good, status: 400, message: 'invalid form field "sha256_digest"' },
  { what: 'no digest at all', fields: { ...fields, sha256_digest: undefined, md5_digest: undefined, blake2_256_digest: undefined }, file: good, status: 400, message: 'missing required form field "sha256_digest"' },
  { what: 'no name', fields: { ...fields, name: undefined }, file: good, status: 400, message: 'missing required form field "name"' },
  { what: 'no version', fields: { ...fields, version: undefined }, file: good, status: 400, message: 'missing required form field "version"' },
  { what: 'no :action', fields: { ...fields, ':action': undefined }, file: good, status: 400, message: 'missing required form field ":action"' },
  { what: 'another :action', fields: { ...fields, ':action': 'submit' }, file: good, status: 400, message: 'unsupported :action "submit"' },
  { what: 'no file', fields, status: 400, message: 'missing required form field "content"' },
  { what: 'an invalid name', fields: { ...fields, name: '-nora-' }, file: good, status: 400, message: 'invalid project name "-nora-"' },
  { what: 'an invalid version', fields: { ...fields, version: 'one.two' }, file: good, status: 400, message: 'invalid version "one.two"' },
  { what: 'a filetype that contradicts the file', fields: { ...fields, filetype: 'sdist' }, file: good, status: 400, message: 'invalid form field "filetype"' },
  { what: 'a wheel that is not a zip', fields: twineFields(pkg, { filename: good.filename, bytes: Buffer.from('not a zip') }), file: { filename: good.filename, bytes: Buffer.from('not a zip') }, status: 400, message: 'invalid wheel' },
  { what: 'a wheel without METADATA', fields: twineFields(pkg, { filename: good.filename, bytes: zip([['nora_demo/__init__.py', '']]) }), file: { filename: good.filename, bytes: zip([['nora_demo/__init__.py', '']]) }, status: 400, message: 'no .dist-info/METADATA file' },
  { what: 'a file larger than pypi.max_upload_size', fields: twineFields(pkg, { filename: good.filename, bytes: Buffer.alloc(100_000) }), file: { filename: good.filename, bytes: Buffer.alloc(100_000) }, status: 413, message: 'exceeds the limit of 65536 bytes' },
];

describe('bad uploads', () => {
  it.each(cases)('refuses $what', async ({ fields: f, file, status, message }) => {
    const before = await keys();
    const { body, contentType } = uploadForm(f, file);
    const response = await inject(body, contentType);
    expect(response.statusCode, response.body).toBe(status);
    expect(response.body).toContain(message);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.statusMessage).toContain(message.replace(/\\/g, '?'));
    expect(await keys()).toEqual(before);
  });

  it('refuses a body cut off inside the file part', async () => {
    const { body, contentType } = uploadForm(fields, good);
    const response = await inject(body.subarray(0, body.length - 200), contentType);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('malformed upload body');
    expect(await keys()).toEqual([]);
  });

  it('refuses a body that is not multipart', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/pypi', payload: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(415);
    expect(response.body).toContain('uploads must be multipart/form-data');
    expect(await keys()).toEqual([]);
  });

  it('refuses a multipart body without a boundary', async () => {
    const response = await inject(Buffer.from('x'), 'multipart/form-data');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('malformed upload body');
  });

  it('stores nothing when the duplicate differs in content', async () => {
    const { body, contentType } = uploadForm(fields, good);
    expect((await inject(body, contentType)).statusCode).toBe(200);
    const before = await keys();
    const other = wheel({ ...pkg, requiresPython: '>=3.9' });
    const second = uploadForm(twineFields(pkg, other), other);
    const response = await inject(second.body, second.contentType);
    expect(response.statusCode).toBe(400);
    expect(response.statusMessage).toContain('File already exists');
    expect(await keys()).toEqual(before);
  });
});

describe('hostile paths', () => {
  it.each([
    '/pypi/files/nora-demo/..%2fproject.json',
    '/pypi/files/..%2f..%2frepos/x',
    '/simple/..%2f/',
  ])('%s is refused as plain text', async (url) => {
    const response = await t.app.inject({ url });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('invalid path');
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it.each([
    ['/pypi/files/Nora_Demo/x.whl', 404],
    ['/pypi/files/nora-demo/%3Cscript%3E.whl', 404],
    ['/simple/-bad-/', 400],
  ])('%s answers %i', async (url, status) => {
    const response = await t.app.inject({ url });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
  });
});

describe('form limits', () => {
  it('refuses form fields that together exceed 16 MiB', async () => {
    const filler = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`description_${i}`, 'x'.repeat(7 * 1024 * 1024)]));
    const { body, contentType } = uploadForm({ ...filler, ...fields }, good);
    const response = await inject(body, contentType);
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('upload form fields exceeds the limit');
    expect(await keys()).toEqual([]);
  });

  it('refuses a single field over 8 MiB', async () => {
    const { body, contentType } = uploadForm({ ...fields, description: 'x'.repeat(9 * 1024 * 1024) }, good);
    const response = await inject(body, contentType);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('invalid form field "description"');
  });
});
