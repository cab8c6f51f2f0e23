// The zip reader over ranged reads, and parsing upstream project pages (PEP 691 and PEP 503).
import { describe, expect, it } from 'vitest';
import { listEntries, readEntry, ZipError, type RangeReader } from '../../../src/lib/pypi/zip-reader.js';
import { parseHtmlPage, parseJsonPage } from '../../../src/lib/pypi/upstream-page.js';
import { metadataHeader } from '../../../src/lib/pypi/core-metadata.js';
import { wheel, zip } from '../../helpers/pypi-dists.js';

function reader(bytes: Buffer): { read: RangeReader; reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return { reads, read: async (start, end) => { reads.push([start, end]); return bytes.subarray(start, end); } };
}

describe('zip reader', () => {
  it('finds and inflates an entry with ranged reads only', async () => {
    const padding = Buffer.alloc(200_000, 7);
    const archive = zip([['big.bin', padding], ['pkg-1.0.dist-info/METADATA', 'Name: pkg\n']]);
    const { read, reads } = reader(archive);
    const entries = await listEntries(read, archive.length);
    expect(entries.map((e) => e.name)).toEqual(['big.bin', 'pkg-1.0.dist-info/METADATA']);
    expect((await readEntry(read, entries[1]!, 1024)).toString()).toBe('Name: pkg\n');
    // Nothing close to the whole archive was read in one piece.
    expect(Math.max(...reads.map(([s, e]) => e - s))).toBeLessThan(70_000);
  });

  it('refuses entries over the size limit, corrupt data and non-zips', async () => {
    const archive = zip([['a.txt', 'hello world']]);
    const { read } = reader(archive);
    const [entry] = await listEntries(read, archive.length);
    await expect(readEntry(read, entry!, 5)).rejects.toThrow(ZipError);
    await expect(readEntry(read, { ...entry!, crc: 1 }, 100)).rejects.toThrow(/CRC/);
    const junk = Buffer.from('definitely not a zip archive at all');
    await expect(listEntries(reader(junk).read, junk.length)).rejects.toThrow(/end of central directory/);
    await expect(listEntries(reader(Buffer.alloc(3)).read, 3)).rejects.toThrow(/too short/);
  });

  it('reads the METADATA of a generated wheel', async () => {
    const whl = wheel({ name: 'Nora.Demo', version: '1.0', requiresPython: '>=3.9' });
    const { read } = reader(whl.bytes);
    const entry = (await listEntries(read, whl.bytes.length)).find((e) => e.name.endsWith('METADATA'))!;
    const text = (await readEntry(read, entry, 1 << 20)).toString();
    expect(text).toBe(whl.metadata);
    expect(metadataHeader(text, 'requires-python')).toBe('>=3.9');
    expect(metadataHeader(text, 'Description')).toBeUndefined();
  });
});

const sha = 'ab'.repeat(32);

describe('upstream pages', () => {
  it('reads PEP 691 JSON, resolving relative URLs and dropping unverifiable or unsafe files', () => {
    const body = JSON.stringify({
      name: 'Demo', versions: ['1.0'],
      files: [
        { filename: 'demo-1.0.tar.gz', url: '../../files/demo-1.0.tar.gz', hashes: { sha256: sha.toUpperCase() }, 'requires-python': '>=3', yanked: 'bad', 'core-metadata': { sha256: sha }, size: 12, 'upload-time': '2020-01-01T00:00:00Z' },
        { filename: 'demo-1.0-py3-none-any.whl', url: 'https://files.example/demo.whl', hashes: { md5: 'x' } },
        { filename: '../evil-1.0.tar.gz', url: 'x', hashes: { sha256: sha } },
        { filename: 'demo-1.1.tar.gz', url: 'file:///etc/passwd', hashes: { sha256: sha } },
        { filename: 'demo-1.0.tar.gz', url: 'dup', hashes: { sha256: sha } },
      ],
    });
    const page = parseJsonPage(body, 'https://up.example/simple/demo/', 'demo');
    expect(page).toEqual({
      name: 'Demo', versions: ['1.0'],
      files: [{ filename: 'demo-1.0.tar.gz', url: 'https://up.example/files/demo-1.0.tar.gz', sha256: sha, version: '1.0', requiresPython: '>=3', yanked: 'bad', coreMetadataSha256: sha, size: 12, uploadTime: '2020-01-01T00:00:00Z' }],
    });
  });

  it('reads PEP 503 HTML anchors with hashes, yanks and metadata', () => {
    const html = `<html><body>
      <a href="/files/demo-1.0.tar.gz#sha256=${sha}" data-requires-python="&gt;=3.7" data-yanked="">demo-1.0.tar.gz</a><br/>
      <a href='https://cdn.example/demo-2.0-py3-none-any.whl#md5=1&amp;sha256=${sha}' data-dist-info-metadata="sha256=${sha}">demo-2.0-py3-none-any.whl</a>
      <a href="/files/demo-3.0.tar.gz">demo-3.0.tar.gz</a>
    </body></html>`;
    const page = parseHtmlPage(html, 'https://up.example/simple/demo/', 'demo');
    expect(page.versions).toEqual(['1.0', '2.0']);
    expect(page.files).toEqual([
      { filename: 'demo-1.0.tar.gz', url: 'https://up.example/files/demo-1.0.tar.gz', sha256: sha, version: '1.0', requiresPython: '>=3.7', yanked: '' },
      { filename: 'demo-2.0-py3-none-any.whl', url: 'https://cdn.example/demo-2.0-py3-none-any.whl', sha256: sha, version: '2.0', coreMetadataSha256: sha },
    ]);
  });
});
