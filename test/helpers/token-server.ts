// A Docker token service for docker-registry's `auth: token`: checks Basic credentials and
// answers a JWT (RS256, its certificate in the x5c header, which the registry checks against its
// rootcertbundle) granting the requested scopes. Counts token requests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the certificate the registry must trust. */
  certificate: string;
  /** Scopes asked for, one entry per token request. */
  requests: string[];
  close(): Promise<void>;
}

export async function startTokenServer(user: { name: string; password: string }): Promise<TokenServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nora-token-server-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=token-issuer'], { stdio: 'ignore' });
  const certificate = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  const key = await importPKCS8(readFileSync(path.join(dir, 'key.pem'), 'utf8'), 'RS256');
  rmSync(dir, { recursive: true, force: true });
  const der = certificate.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const service = 'test-registry';
  const issuer = 'test-issuer';
  const requests: string[] = [];
  const expected = `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scopes = url.searchParams.getAll('scope');
    requests.push(scopes.join(' '));
    if (req.headers.authorization !== expected) { res.writeHead(401).end(); return; }
    const access = scopes.flatMap((s) => s.split(' ')).map((s) => {
      const [type, name, actions] = [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1, s.lastIndexOf(':')), s.slice(s.lastIndexOf(':') + 1)];
      return { type, name, actions: actions.split(',') };
    });
    void new SignJWT({ access })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5c: [der] })
      .setIssuer(issuer).setAudience(url.searchParams.get('service') ?? service).setSubject(user.name)
      .setIssuedAt().setNotBefore('0s').setExpirationTime('5m').setJti(String(requests.length))
      .sign(key)
      .then((token) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`, service, issuer, certificate, requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
