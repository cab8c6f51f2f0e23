// Registry tokens never widen a token's reach (issue 13 item 1), against the real server: a CI
// token exchanged over OIDC for `push:oci:acme/*`, and an API token narrowed to `team-a/*` by an
// owner who holds `team-a/**`, each ask /auth/token for a `/**` scope over plain HTTP; skopeo
// pushing with that JWT to a nested repository is refused, and so is the plain HTTP upload. A
// scope with ':' in its name yields a JWT that still answers without a 500.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { OciLayout } from '../../helpers/oci-layout.js';
import { TestIssuer } from '../../helpers/oidc-issuer.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

const ALICE = 'alice-scope-pw';
let server: NoraServer;
let skopeo: Skopeo;
let dir: string;
let host: string;
const issuer = new TestIssuer();
const tokens = { api: '', ci: '' };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-auth-scope-'));
  await issuer.start();
  await issuer.addKey('k1', 'ES256');
  const htpasswd = writeHtpasswd({ alice: ALICE });
  const config = path.join(dir, 'nora.toml');
  await writeFile(config, [
    '[auth]', 'enabled = true', `htpasswd_file = "${htpasswd}"`,
    '[[auth.rules]]', 'subject = "alice"', 'permissions = ["push:team-a/**", "pull:*"]',
    '[[auth.oidc.providers]]', 'name = "ci"', `issuer = "${issuer.url}"`, 'audience = "nora"',
    '[[auth.oidc.providers.rules]]', 'match = { repository = "acme/*" }', 'permissions = ["push:oci:acme/*", "pull:oci:acme/*"]',
    '[npm]', 'upstream = ""', '[cargo]', 'upstream_index = ""', '',
  ].join('\n'));
  server = await startNora({ args: ['--config', config] });
  host = new URL(server.url).host;
  const created = await fetch(`${server.url}/api/tokens`, {
    method: 'POST', headers: { authorization: basic('alice', ALICE), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'team-a-only', permissions: ['push:oci:team-a/*', 'pull:oci:team-a/*'] }),
  });
  tokens.api = ((await created.json()) as { token: string }).token;
  const exchanged = await fetch(`${server.url}/auth/oidc/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: await issuer.sign({ sub: 'repo:acme/app', repository: 'acme/app' }) }),
  });
  tokens.ci = ((await exchanged.json()) as { token: string }).token;
  skopeo = await makeSkopeo();
  const layout = new OciLayout(path.join(dir, 'oci'));
  const image = await layout.addImage([await layout.addBlob(Buffer.from('scope layer'), 'application/vnd.oci.image.layer.v1.tar')]);
  await layout.tag('app', image);
}, 60_000);

afterAll(async () => {
  await skopeo?.cleanup();
  await server?.stop();
  await issuer.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A registry JWT for `scope`, asked over plain HTTP as docker would (Basic with the NORA token). */
async function registryToken(nora: string, scope: string): Promise<{ token: string; access: unknown[] }> {
  const res = await fetch(`${server.url}/auth/token?service=nora&scope=${encodeURIComponent(scope)}`, { headers: { authorization: basic('ci', nora) } });
  expect(res.status).toBe(200);
  const { token } = (await res.json()) as { token: string };
  return { token, access: JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).access };
}

const copy = (to: string, ...flags: string[]) =>
  skopeo.attempt('copy', '--dest-tls-verify=false', ...flags, `oci:${path.join(dir, 'oci')}:app`, `docker://${host}/${to}`);

describe('a /** scope does not widen a token', () => {
  it.each([
    ['an OIDC CI token holding acme/*', 'ci', 'acme'],
    ['an API token holding team-a/* (owner: team-a/**)', 'api', 'team-a'],
  ] as const)('%s: skopeo with the JWT cannot push to a nested repository', { timeout: 120_000 }, async (_label, which, org) => {
    const { token, access } = await registryToken(tokens[which], `repository:${org}/**:pull,push`);
    expect(access).toEqual([]);
    const refused = await copy(`${org}/x/y:1`, '--dest-registry-token', token);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403 \(Forbidden\)|denied/i);
    const upload = await fetch(`${server.url}/v2/${org}/x/y/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(upload.status).toBe(403);
    expect(((await upload.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('DENIED');
    // The token still pushes where it may, through the ordinary token flow.
    const allowed = await copy(`${org}/app:1`, '--dest-creds', `ci:${tokens[which]}`);
    expect(allowed.code, allowed.stderr).toBe(0);
    const nested = await copy(`${org}/x/y:1`, '--dest-creds', `ci:${tokens[which]}`);
    expect(nested.code).not.toBe(0);
  });

  it('a scope name with ":" grants nothing and its JWT answers without a 500', async () => {
    const { token, access } = await registryToken(tokens.api, 'repository:team-a/a:b:push');
    expect(access).toEqual([]);
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${server.url}/v2/`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${server.url}/v2/team-a/app/tags/list`, { headers: auth })).status).toBe(403);
    expect((await fetch(`${server.url}/v2/team-a/a/blobs/uploads/`, { method: 'POST', headers: auth })).status).toBe(403);
  });
});
