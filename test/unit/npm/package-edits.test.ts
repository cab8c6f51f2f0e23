import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../../src/lib/npm/package-document.js';
import { addVersion, applyUpdate, checkRev, removeTag, removeTarball, setTag } from '../../../src/lib/npm/package-edits.js';
import { parsePackageName } from '../../../src/lib/npm/package-name.js';
import { parsePublishBody } from '../../../src/lib/npm/publish-body.js';
import { publishBody } from '../../helpers/npm-fixtures.js';

const name = parsePackageName('pkg');
const now = '2024-01-01T00:00:00.000Z';
const publishOf = (version: string, tag = 'latest') => {
  const body = publishBody('pkg', { version, tag });
  const bytes = Buffer.from((Object.values(body._attachments)[0] as { data: string }).data, 'base64');
  const sha512 = createHash('sha512').update(bytes).digest('hex');
  return parsePublishBody(name, body, { digest: `sha512:${sha512}`, size: bytes.length, hashes: { sha512, sha1: createHash('sha1').update(bytes).digest('hex') } });
};
const docWith = (...versions: string[]) => versions.reduce((doc, v) => addVersion(doc, publishOf(v), `sha512:${'0'.repeat(128)}`, now), emptyDocument(name, now));

describe('package edits', () => {
  it('adds versions, sets latest and bumps the revision', () => {
    const doc = docWith('1.0.0', '1.1.0');
    expect(doc.packument['dist-tags']).toEqual({ latest: '1.1.0' });
    expect(doc.rev).toMatch(/^2-/);
    expect(doc.files['pkg-1.1.0.tgz']).toMatchObject({ version: '1.1.0' });
    expect(doc.packument.versions['1.0.0']!.dist.tarball).toBe('pkg-1.0.0.tgz');
    expect(() => addVersion(doc, publishOf('1.0.0'), 'sha512:x', now)).toThrow(/previously published versions: 1\.0\.0/);
  });

  it('keeps latest when a prerelease is published under another tag', () => {
    const doc = addVersion(docWith('1.0.0'), publishOf('2.0.0-beta.1', 'next'), 'sha512:y', now);
    expect(doc.packument['dist-tags']).toEqual({ latest: '1.0.0', next: '2.0.0-beta.1' });
  });

  it('applies deprecations and version removals from an edited packument, ignoring other edits', () => {
    const doc = docWith('1.0.0', '1.1.0', '1.2.0');
    const body = JSON.parse(JSON.stringify(doc.packument));
    body.versions['1.0.0'].deprecated = 'use 1.1';
    body.versions['1.1.0'].dist.tarball = 'http://evil/x.tgz';
    delete body.versions['1.2.0'];
    const { doc: next, removed } = applyUpdate(doc, body, now);
    expect(removed).toEqual(['1.2.0']);
    expect(next.packument.versions['1.0.0']!.deprecated).toBe('use 1.1');
    expect(next.packument.versions['1.1.0']!.dist.tarball).toBe('pkg-1.1.0.tgz');
    expect(next.packument['dist-tags'].latest).toBe('1.1.0');
    expect(Object.keys(next.files)).toEqual(['pkg-1.0.0.tgz', 'pkg-1.1.0.tgz']);
    body.versions['1.0.0'].deprecated = '';
    expect(applyUpdate(next, body, now).doc.packument.versions['1.0.0']!.deprecated).toBeUndefined();
  });

  it('refuses updates that add versions or remove all of them', () => {
    const doc = docWith('1.0.0');
    expect(() => applyUpdate(doc, { versions: { '1.0.0': {}, '9.0.0': {} } }, now)).toThrow(/without a tarball: 9\.0\.0/);
    expect(() => applyUpdate(doc, { versions: {} }, now)).toThrow(/cannot remove every version/);
  });

  it('sets and removes dist-tags with validation', () => {
    const doc = setTag(docWith('1.0.0'), 'beta', '1.0.0', now);
    expect(doc.packument['dist-tags']).toEqual({ latest: '1.0.0', beta: '1.0.0' });
    expect(() => setTag(doc, 'x', '9.9.9', now)).toThrow(/no version/);
    expect(() => setTag(doc, '1.0.0', '1.0.0', now)).toThrow(/not a valid tag/);
    expect(removeTag(doc, 'beta', now).packument['dist-tags']).toEqual({ latest: '1.0.0' });
    expect(() => removeTag(doc, 'latest', now)).toThrow(/cannot be removed/);
  });

  it('forgets only tarballs of removed versions and checks revisions', () => {
    const doc = docWith('1.0.0');
    expect(() => removeTarball(doc, 'pkg-1.0.0.tgz')).toThrow(/unpublish the version first/);
    expect(removeTarball(doc, 'nope.tgz')).toBeUndefined();
    expect(() => checkRev(doc, '9-abc')).toThrow(/changed: request is for revision 9-abc/);
    expect(() => checkRev(doc, doc.rev)).not.toThrow();
  });
});
