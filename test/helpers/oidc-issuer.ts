// A small OIDC issuer on 127.0.0.1 for tests: discovery document, a JWKS whose keys the test can
// rotate, and ID tokens signed with them (RS256 / ES256) carrying whatever claims the test wants.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

interface Key { kid: string; alg: 'RS256' | 'ES256'; privateKey: CryptoKey; jwk: JWK }

export class TestIssuer {
  url = '';
  jwksFetches = 0;
  /** What GET /actions-token answers as `value` (GitHub's ACTIONS_ID_TOKEN_REQUEST_URL). */
  actionsToken = '';
  actionsAudience = '';
  private server: Server | undefined;
  private keys: Key[] = [];
  /** Keys served in the JWKS (a subset of `keys` until `publish()`). */
  private published: Key[] = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer: this.url, jwks_uri: `${this.url}/jwks` }));
      } else if (req.url?.startsWith('/actions-token?') && req.headers.authorization === 'Bearer request-token') {
        this.actionsAudience = new URL(req.url, this.url).searchParams.get('audience') ?? '';
        res.end(JSON.stringify({ value: this.actionsToken }));
      } else if (req.url === '/jwks') {
        this.jwksFetches++;
        res.end(JSON.stringify({ keys: this.published.map((k) => ({ ...k.jwk, kid: k.kid, alg: k.alg, use: 'sig' })) }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Makes a key; published in the JWKS unless `publish` is false. */
  async addKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256', publish = true): Promise<Key> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const key = { kid, alg, privateKey, jwk: await exportJWK(publicKey) };
    this.keys.push(key);
    if (publish) this.published.push(key);
    return key;
  }

  publishAll(): void {
    this.published = [...this.keys];
  }

  async sign(claims: JWTPayload, options: { kid?: string; expiresIn?: string | number; issuer?: string; audience?: string } = {}): Promise<string> {
    const key = this.keys.find((k) => k.kid === (options.kid ?? this.keys[0]!.kid))!;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer(options.issuer ?? this.url).setAudience(options.audience ?? 'nora')
      .setIssuedAt().setExpirationTime(options.expiresIn ?? '5m')
      .sign(key.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
