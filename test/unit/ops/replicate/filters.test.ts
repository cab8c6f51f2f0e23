import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storedCredentials } from '../../../../src/lib/ops/replicate/docker-config.js';
import { parseSelection, platformMatches } from '../../../../src/lib/ops/replicate/filters.js';

describe('parseSelection', () => {
  it('--filter globs keep * inside a segment and let ** cross them', () => {
    const s = parseSelection({ filter: ['team/*', 'infra/**'] }, 0);
    expect(['team/app', 'team/x/y', 'infra/a/b', 'other'].filter(s.name)).toEqual(['team/app', 'infra/a/b']);
  });
  it('--tags and --semver combine; a leading v counts as a version', () => {
    const s = parseSelection({ tags: 'v*', semver: '>=1.2 <2' }, 0);
    expect(['v1.2.0', 'v1.9.9', 'v2.0.0', '1.5.0', 'v1.5', 'latest'].filter(s.tag)).toEqual(['v1.2.0', 'v1.9.9']);
  });
  it('--since is a cutoff before now; --platform parses os/arch/variant', () => {
    const s = parseSelection({ since: '2h', platform: 'linux/arm/v7' }, 10_000_000);
    expect(s.since).toBe(10_000_000 - 7_200_000);
    expect(platformMatches({ os: 'linux', architecture: 'arm', variant: 'v7' }, s.platform!)).toBe(true);
    expect(platformMatches({ os: 'linux', architecture: 'arm', variant: 'v6' }, s.platform!)).toBe(false);
  });
  it.each([
    [{ semver: 'not a range!' }, '--semver'],
    [{ since: 'yesterday' }, '--since'],
    [{ platform: 'linux' }, '--platform'],
    [{ tags: '' }, '--tags'],
  ])('refuses %o naming the flag', (flags, flag) => {
    expect(() => parseSelection(flags, 0)).toThrow(flag);
  });
});

describe('storedCredentials', () => {
  it('reads docker config auths (host, https://host) and containers auth.json first', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-docker-config-'));
    try {
      await mkdir(path.join(dir, 'docker'));
      await writeFile(path.join(dir, 'docker', 'config.json'), JSON.stringify({ auths: {
        'quay.io': { auth: Buffer.from('q:secret:with:colons').toString('base64') },
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') },
      } }));
      await writeFile(path.join(dir, 'auth.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('g:tok').toString('base64') } } }));
      const env = { DOCKER_CONFIG: path.join(dir, 'docker'), REGISTRY_AUTH_FILE: path.join(dir, 'auth.json') };
      expect(storedCredentials('quay.io', env)).toEqual({ username: 'q', password: 'secret:with:colons' });
      expect(storedCredentials('registry-1.docker.io', env)).toEqual({ username: 'hub', password: 'pw' });
      expect(storedCredentials('ghcr.io', env)).toEqual({ username: 'g', password: 'tok' });
      expect(storedCredentials('gcr.io', env)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
