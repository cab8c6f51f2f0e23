// [[tenants]] in nora.toml: the example loads; overlapping namespaces, an unknown format
// and a bad size stop the start with a message naming the key and its file line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/lib/config/index.js';
import { overlaps, parseNamespace, type Namespace } from '../../../src/lib/tenants/namespaces.js';
import { TenantDirectory } from '../../../src/lib/tenants/directory.js';
import { memberRules } from '../../../src/lib/tenants/member-rules.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-tenants-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const load = async (text: string) => {
  await writeFile(path.join(dir, 'nora.toml'), text);
  return loadConfig({ cwd: dir, env: {} }).config;
};
const problems = async (text: string): Promise<string> => {
  try {
    await load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
};

const EXAMPLE = `[[tenants]]
name = "team-frontend"
storage_quota = "50GB"
rate_limit = { push = 100, pull = 1000 }   # per hour
members = ["group:frontend", "ci-bot"]
[[tenants]]
name = "team-backend"
storage_quota = "100GB"
namespaces = ["oci:backend/**", "npm:@backend/*", "maven:com.acme.backend.**", "cargo:backend-*", "pypi:backend-*"]
`;

describe('[[tenants]] config', () => {
  it('loads the example of the issue, with default namespaces from the name', async () => {
    const config = await load(EXAMPLE);
    expect(config.tenants[0]).toEqual({ name: 'team-frontend', storage_quota: 50e9, rate_limit: { push: 100, pull: 1000 }, members: ['group:frontend', 'ci-bot'], namespaces: [] });
    expect(config.quota.warn_at).toEqual([80, 90]);
    const tenants = new TenantDirectory(config.tenants, { frontend: ['alice'] });
    expect(tenants.ownerOf('oci', 'team-frontend/web/app')?.name).toBe('team-frontend');
    expect(tenants.ownerOf('npm', '@team-frontend/ui')?.name).toBe('team-frontend');
    expect(tenants.ownerOf('maven', 'com/acme/backend/api/core')?.name).toBe('team-backend');
    expect(tenants.ownerOf('maven', 'com/acme/frontend/api')).toBeUndefined();
    expect(tenants.ownerOf('cargo', 'backend-db')?.name).toBe('team-backend');
    expect(tenants.ownerOf('oci', 'library/nginx')).toBeUndefined();
    expect(tenants.memberships('alice').map((t) => t.name)).toEqual(['team-frontend']);
    expect(memberRules(config.tenants)).toEqual([
      { subject: 'frontend', permissions: ['push:oci:team-frontend/**', 'pull:oci:team-frontend/**', 'push:npm:@team-frontend/*', 'pull:npm:@team-frontend/*'] },
      { subject: 'ci-bot', permissions: ['push:oci:team-frontend/**', 'pull:oci:team-frontend/**', 'push:npm:@team-frontend/*', 'pull:npm:@team-frontend/*'] },
    ]);
  });

  it('refuses overlapping namespaces, naming both tenants and the line', async () => {
    const text = `${EXAMPLE}[[tenants]]\nname = "platform"\nnamespaces = ["oci:backend/tools/*"]\n`;
    expect(await problems(text)).toBe('nora.toml:12: tenants[2].namespaces: "oci:backend/tools/*" of tenant "platform" overlaps "oci:backend/**" of tenant "team-backend" (tenants[1]); a name may belong to one tenant only');
  });

  it('refuses a tenant whose default namespace overlaps another tenant\'s list', async () => {
    const text = '[[tenants]]\nname = "a"\nnamespaces = ["npm:@b/*"]\n[[tenants]]\nname = "b"\n';
    expect(await problems(text)).toBe('nora.toml:5: tenants[1].namespaces: "npm:@b/*" of tenant "b" overlaps "npm:@b/*" of tenant "a" (tenants[0]); a name may belong to one tenant only');
  });

  it('refuses an unknown format and a bad size, with their lines', async () => {
    const text = '[[tenants]]\nname = "a"\nstorage_quota = "lots"\nnamespaces = ["helm:charts/*"]\n';
    expect(await problems(text)).toBe([
      'nora.toml:3: tenants.0.storage_quota: expected a size such as "4MiB" or "200MB", got string "lots"',
      'nora.toml:4: tenants.0.namespaces: "helm:charts/*": unknown format "helm" (one of oci, npm, maven, cargo, pypi)',
    ].join('\n'));
  });

  it('refuses a duplicate or missing name and a bad rate limit', async () => {
    expect(await problems('[[tenants]]\nname = "a"\n[[tenants]]\nname = "a"\n')).toContain('nora.toml:4: tenants[1].name: tenant "a" is already defined (tenants[0])');
    expect(await problems('[[tenants]]\nstorage_quota = "1GB"\n')).toBe('nora.toml:1: tenants[0].name: required');
    expect(await problems('[[tenants]]\nname = "a"\nrate_limit = { push = -1 }\n')).toBe('nora.toml:3: tenants.0.rate_limit.push: must be at least 0, got -1');
  });
});

describe('namespace overlap', () => {
  const ns = (text: string) => parseNamespace(text) as Namespace;
  it.each([
    ['oci:a/**', 'oci:a/b/c', true],
    ['oci:*', 'oci:a/**', true],
    ['oci:a/*.x', 'oci:a/b/**', false],
    ['oci:backend/**', 'oci:backend-tools/**', false],
    ['cargo:backend-*', 'cargo:backend-api*', true],
    ['npm:@a/*', 'oci:@a/*', false],
    ['maven:com.acme.**', 'maven:com.acme.backend.*', true],
    ['maven:com.acme.web.*', 'maven:com.acme.backend.*', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(overlaps(ns(a), ns(b))).toBe(expected);
    expect(overlaps(ns(b), ns(a))).toBe(expected);
  });
});
