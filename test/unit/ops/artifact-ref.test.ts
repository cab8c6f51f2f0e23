// The reference grammar of `nora delete` / `nora tag` and /api/: one reading or a refusal.
import { describe, expect, it } from 'vitest';
import { formatRef, parseArtifactRef } from '../../../src/lib/ops/artifact-ref.js';
import { digestsInText } from '../../../src/lib/blobs/digest-scan.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseArtifactRef', () => {
  it.each([
    ['app:1.0', { type: 'oci', name: 'app', reference: '1.0' }],
    ['team/app:latest', { type: 'oci', name: 'team/app', reference: 'latest' }],
    [`team/app@${D}`, { type: 'oci', name: 'team/app', reference: D }],
    ['oci:npm:1.0', { type: 'oci', name: 'npm', reference: '1.0' }],
    ['npm:left-pad@1.0.0', { type: 'npm', name: 'left-pad', version: '1.0.0' }],
    ['npm:@scope/pkg@2.0.0-beta.1', { type: 'npm', name: '@scope/pkg', version: '2.0.0-beta.1' }],
    ['maven:com.example:lib@1.0-SNAPSHOT', { type: 'maven', name: 'com.example:lib', version: '1.0-SNAPSHOT' }],
    ['cargo:serde@1.0.0', { type: 'cargo', name: 'serde', version: '1.0.0' }],
    ['pypi:Requests@2.31.0', { type: 'pypi', name: 'Requests', version: '2.31.0' }],
  ])('%s', (text, expected) => {
    const ref = parseArtifactRef(text);
    expect(ref).toEqual(expected);
    expect(parseArtifactRef(formatRef(ref))).toEqual(expected);
  });

  it.each([
    ['npm:1.0', 'AMBIGUOUS_REFERENCE'],
    ['left-pad@1.0.0', 'AMBIGUOUS_REFERENCE'],
    ['app', 'BAD_REFERENCE'],
    ['App:1.0', 'BAD_REFERENCE'],
    ['oci:app@sha256:short', 'BAD_REFERENCE'],
    ['maven:lib@1.0', 'BAD_REFERENCE'],
    ['npm:pkg@', 'BAD_REFERENCE'],
  ])('refuses %s', (text, code) => {
    expect(() => parseArtifactRef(text)).toThrow(expect.objectContaining({ code }));
  });
});

describe('digestsInText', () => {
  it('finds prefixed digests, and bare sha256 or npm integrity only when asked', () => {
    const hex = 'b'.repeat(64);
    const integrity = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;
    const text = JSON.stringify({ a: D, cksum: hex, sha1: 'c'.repeat(40), integrity, long: 'd'.repeat(128) });
    expect([...digestsInText(text)]).toEqual([D]);
    expect([...digestsInText(text, { bareSha256: true, integrity: true })].sort()).toEqual([D, `sha256:${hex}`, `sha512:${'01'.repeat(64)}`].sort());
  });
});
