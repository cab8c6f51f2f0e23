// Name resolution onto upstreams (library/ mapping, prefixes, mirror path) and parsing of
// WWW-Authenticate challenges.
import { describe, expect, test } from 'vitest';
import { parseChallenge } from '../../../src/lib/oci/upstream/challenge.js';
import { UpstreamRoutes, type UpstreamConfig } from '../../../src/lib/oci/upstream/upstream-routes.js';

const upstream = (over: Partial<UpstreamConfig>): UpstreamConfig => ({
  name: 'x', url: 'https://x.example', default: false, prefix: '', username: '', password: '', password_file: '', password_env: '',
  metadata_ttl: 300_000, max_concurrency: 8, timeout: 30_000, allow_push: false, proxy: '', ca_file: '', ...over,
});

describe('UpstreamRoutes', () => {
  const routes = new UpstreamRoutes([
    upstream({ name: 'hub', default: true }),
    upstream({ name: 'ghcr', prefix: 'ghcr.io/' }),
    upstream({ name: 'ghcr-team', prefix: 'ghcr.io/team/' }),
  ]);
  test.each([
    ['nginx', 'hub', 'library/nginx'],
    ['library/nginx', 'hub', 'library/nginx'],
    ['bitnami/redis', 'hub', 'bitnami/redis'],
    ['ghcr.io/org/img', 'ghcr', 'org/img'],
    ['ghcr.io/team/img', 'ghcr-team', 'img'],
    ['ghcr.io', 'hub', 'library/ghcr.io'],
  ])('%s -> %s %s', (name, expected, remote) => {
    const route = routes.route(name);
    expect(route?.upstream.name).toBe(expected);
    expect(route?.remote).toBe(remote);
  });

  test('without a default upstream only prefixed names are routed', () => {
    const only = new UpstreamRoutes([upstream({ name: 'quay', prefix: 'quay.io/' })]);
    expect(only.route('nginx')).toBeUndefined();
    expect(only.route('quay.io/coreos/etcd')?.remote).toBe('coreos/etcd');
    expect(only.isPrefixed('quay.io/a')).toBe(true);
  });
});

describe('parseChallenge', () => {
  test('a Docker Hub bearer challenge', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual({
      scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    });
  });
  test('basic, case-insensitive, unquoted values', () => {
    expect(parseChallenge('basic realm=test')).toEqual({ scheme: 'basic', params: { realm: 'test' } });
  });
  test('unknown schemes and missing headers', () => {
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});
