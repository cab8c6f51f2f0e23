import { describe, expect, it } from 'vitest';
import { parseLocation } from '../../../../src/lib/ops/replicate/location.js';
import { destinationNames } from '../../../../src/lib/ops/replicate/replicate.js';

describe('parseLocation', () => {
  it.each([
    ['gcr.io/my-project/*', { base: 'https://gcr.io', host: 'gcr.io', path: 'my-project/*', glob: true, url: false }],
    ['quay.io/org/app', { base: 'https://quay.io', path: 'org/app', glob: false }],
    ['registry-1.docker.io/library/nginx:1.27', { base: 'https://registry-1.docker.io', path: 'library/nginx', tag: '1.27' }],
    ['docker.io/nginx', { base: 'https://registry-1.docker.io', path: 'library/nginx' }],
    ['ghcr.io/org/**', { path: 'org/**', glob: true }],
    ['http://127.0.0.1:5000/a/b@sha256:' + 'a'.repeat(64), { base: 'http://127.0.0.1:5000', path: 'a/b', digest: `sha256:${'a'.repeat(64)}`, url: true }],
    ['https://nora-dc2.example.com', { base: 'https://nora-dc2.example.com', path: '', glob: false, url: true }],
    ['localhost:5000/app:v1', { base: 'https://localhost:5000', path: 'app', tag: 'v1' }],
  ])('%s', (text, expected) => {
    expect(parseLocation(text, '--from')).toMatchObject({ kind: 'registry', ...expected });
  });

  it.each([['local/imported/', 'imported/'], ['local/', ''], ['local', ''], ['local/team', 'team/']])('%s is this store', (text, prefix) => {
    expect(parseLocation(text, '--to')).toEqual({ kind: 'local', prefix });
  });

  it.each([
    ['quay.io/Org/App', 'is not a repository path'],
    ['quay.io/org/*:1.0', 'names one repository'],
    ['https://user:pw@quay.io/org', 'never in the location'],
    ['quay.io/org/app@md5', 'is not a digest'],
    ['local/Bad Prefix', 'lowercase repository path'],
    ['', 'expected host'],
  ])('refuses %s', (text, message) => {
    expect(() => parseLocation(text, '--from')).toThrow(message);
  });
});

describe('destinationNames', () => {
  const loc = (text: string) => parseLocation(text, '--x');
  it('prepends local/PREFIX/ to the full source name', () => {
    expect(destinationNames(loc('gcr.io/my-project/*'), loc('local/imported/'))('my-project/app')).toBe('imported/my-project/app');
  });
  it('names one repository exactly, and prefixes a pattern\'s names', () => {
    expect(destinationNames(loc('quay.io/org/app'), loc('h:5000/mirror/app'))('org/app')).toBe('mirror/app');
    expect(destinationNames(loc('quay.io/org/*'), loc('h:5000/mirror'))('org/app')).toBe('mirror/org/app');
    expect(destinationNames(loc('quay.io/org/*'), loc('https://nora.example'))('org/app')).toBe('org/app');
  });
  it('strips a local source\'s prefix', () => {
    expect(destinationNames(loc('local/team/'), loc('h:5000/dc2'))('team/app')).toBe('dc2/app');
  });
  it('refuses a destination digest, and a destination tag for many artifacts', () => {
    expect(() => destinationNames(loc('quay.io/org/app:1'), loc(`h/x@sha256:${'b'.repeat(64)}`))).toThrow('cannot name a digest');
    expect(() => destinationNames(loc('quay.io/org/app'), loc('h/x:2'))).toThrow('only when --from names one tag');
    expect(destinationNames(loc('quay.io/org/app:1'), loc('h/x:2'))('org/app')).toBe('x');
  });
});
