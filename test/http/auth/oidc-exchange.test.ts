// CI OIDC token exchange against an issuer served on 127.0.0.1 with its own keys: a valid token
// becomes a NORA token with the matching rules' permissions; expired, wrong audience, unknown
// issuer, alg none, HMAC signed with the public key and unmatched claims are refused; an unknown
// kid makes NORA refetch the JWKS, so key rotation works.
import { SignJWT, exportSPKI, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAuth, bearer, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { TestIssuer } from '../../helpers/oidc-issuer.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let t: TestApp;
const issuer = new TestIssuer();
const CLAIMS = { sub: 'repo:acme/app:ref:refs/heads/main', repository: 'acme/app', ref: 'refs/heads/main' };

beforeAll(async () => {
  await issuer.start();
  await issuer.addKey('k1', 'RS256');
  const file = writeHtpasswd({ alice: 'pw' });
  t = await buildTestApp({
    oidcCooldownMs: 0,
    mutate: (config) => applyAuth(config, file, {
      oidc: {
        exchange_ttl: 900_000,
        providers: [{ name: 'github', issuer: issuer.url, audience: 'nora', rules: [
          { match: { repository: 'acme/*', ref: 'refs/heads/main' }, permissions: ['push:npm:@acme/*', 'push:oci:acme/**'] },
          { match: { repository: 'acme/**' }, permissions: ['pull:*'] },
        ] }],
      },
    }),
  });
});
afterAll(async () => {
  await t?.close();
  await issuer.stop();
});

const exchange = (token: string) => t.app.inject({ method: 'POST', url: '/auth/oidc/token', payload: { token } });

describe('OIDC exchange', () => {
  it('exchanges a valid ID token for a 15-minute NORA token with the union of matching rules', async () => {
    const res = await exchange(await issuer.sign(CLAIMS));
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ expires_in: 900, permissions: ['push:npm:@acme/*', 'push:oci:acme/**', 'pull:*'] });
    expect(body.token).toMatch(/^nra_/);
    const ping = await t.app.inject({ url: '/v2/', headers: { authorization: bearer(body.token) } });
    expect(ping.statusCode).toBe(200);
    const push = await t.app.inject({ method: 'POST', url: '/v2/acme/app/blobs/uploads/', headers: { authorization: bearer(body.token) } });
    expect(push.statusCode).toBe(202);
    const other = await t.app.inject({ method: 'POST', url: '/v2/other/app/blobs/uploads/', headers: { authorization: bearer(body.token) } });
    expect(other.statusCode).toBe(403);
    // Also as the Bearer of the exchange request itself.
    const viaHeader = await t.app.inject({ method: 'POST', url: '/auth/oidc/token', headers: { authorization: bearer(await issuer.sign(CLAIMS)) } });
    expect(viaHeader.statusCode).toBe(200);
  });

  it('refuses expired, wrong-audience and unknown-issuer tokens with 401', async () => {
    const expired = await exchange(await issuer.sign(CLAIMS, { expiresIn: Math.floor(Date.now() / 1000) - 120 }));
    expect(expired.statusCode).toBe(401);
    expect(JSON.parse(expired.body).error.message).toMatch(/github.*exp/);
    const aud = await exchange(await issuer.sign(CLAIMS, { audience: 'someone-else' }));
    expect(aud.statusCode).toBe(401);
    expect(JSON.parse(aud.body).error.message).toMatch(/aud/);
    const iss = await exchange(await issuer.sign(CLAIMS, { issuer: 'https://evil.example' }));
    expect(iss.statusCode).toBe(401);
    expect(JSON.parse(iss.body).error.message).toMatch(/no OIDC provider/);
  });

  it('refuses alg none and an HMAC signature made with the public key', async () => {
    const enc = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...CLAIMS, iss: issuer.url, aud: 'nora', iat: now, exp: now + 300 };
    expect((await exchange(`${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`)).statusCode).toBe(401);
    const jwks = JSON.parse(await (await fetch(`${issuer.url}/jwks`)).text());
    const pem = await exportSPKI(await importJWK(jwks.keys[0], 'RS256') as Parameters<typeof exportSPKI>[0]);
    const hmac = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode(pem));
    const res = await exchange(hmac);
    expect(res.statusCode).toBe(401);
  });

  it('refetches the JWKS for an unknown kid, so a rotated key works', async () => {
    await exchange(await issuer.sign(CLAIMS));
    await issuer.addKey('k2', 'ES256', false);
    const early = await exchange(await issuer.sign(CLAIMS, { kid: 'k2' }));
    expect(early.statusCode).toBe(401);
    issuer.publishAll();
    const before = issuer.jwksFetches;
    const rotated = await exchange(await issuer.sign(CLAIMS, { kid: 'k2' }));
    expect(rotated.statusCode).toBe(200);
    expect(issuer.jwksFetches).toBeGreaterThan(before);
  });

  it('answers claims that match no rule with 403 naming the provider and the claims checked', async () => {
    const res = await exchange(await issuer.sign({ sub: 'x', repository: 'evil/app', ref: 'refs/heads/main' }));
    expect(res.statusCode).toBe(403);
    const message = JSON.parse(res.body).error.message;
    expect(message).toContain('"github"');
    expect(message).toContain('repository="evil/app"');
    expect(message).toContain('ref="refs/heads/main"');
  });

  it('writes an audit line per exchange without the tokens', async () => {
    await t.services.audit.flush();
    const lines = t.services.audit.recent.filter((l) => l.action === 'oidc-exchange');
    expect(lines.some((l) => l.outcome === 'ok' && l.identity === `oidc:github:${CLAIMS.sub}`)).toBe(true);
    expect(lines.some((l) => l.outcome === 'denied')).toBe(true);
    expect(JSON.stringify(lines)).not.toMatch(/eyJ|nra_/);
  });
});
