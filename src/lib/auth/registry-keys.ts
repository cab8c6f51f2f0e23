// The signing key of OCI registry tokens (ES256), kept in the store at auth/keys/registry.json
// so every server on the bucket signs and verifies alike. `nora keys rotate` makes a new current
// key and keeps the previous one for verification until tokens signed by it have expired.
import { randomUUID } from 'node:crypto';
import type { JWK, JWTPayload, importJWK } from 'jose';
import { loadJose } from './load-jose.js';
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, updateDocument } from '../storage/documents.js';

const KEY = 'auth/keys/registry.json';
const ISSUER = 'nora';

interface StoredKey { kid: string; jwk: JWK }
interface KeyDocument { current: StoredKey; previous?: StoredKey }

export interface RegistryAccess { type: string; name: string; actions: string[] }

async function newKey(): Promise<StoredKey> {
  const { generateKeyPair, exportJWK } = await loadJose();
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid: randomUUID(), jwk: await exportJWK(privateKey) };
}

export async function rotateRegistryKey(store: ObjectStore): Promise<string> {
  const fresh = await newKey();
  await updateDocument<KeyDocument>(store, KEY, (doc) => ({ current: fresh, ...(doc ? { previous: doc.current } : {}) }));
  return fresh.kid;
}

/** Running servers re-read the key document this often, so `nora keys rotate` reaches them. */
const REFRESH_MS = 60_000;

export class RegistryKeys {
  private doc: KeyDocument | undefined;
  private loadedAt = 0;
  /** Imported keys by kid and use, so a push of 100 layers imports nothing again. */
  private readonly imported = new Map<string, Promise<Awaited<ReturnType<typeof importJWK>>>>();

  constructor(private readonly store: ObjectStore) {}

  private async load(force = false): Promise<KeyDocument> {
    if (this.doc && !force && Date.now() - this.loadedAt < REFRESH_MS) return this.doc;
    let doc = (await readDocument<KeyDocument>(this.store, KEY))?.value;
    if (!doc) {
      const fresh = await newKey();
      doc = await updateDocument<KeyDocument>(this.store, KEY, (current) => current ?? { current: fresh });
    }
    this.doc = doc!;
    this.loadedAt = Date.now();
    return this.doc;
  }

  private key(stored: StoredKey, signing: boolean): Promise<Awaited<ReturnType<typeof importJWK>>> {
    const id = `${stored.kid}:${signing ? 'sign' : 'verify'}`;
    let key = this.imported.get(id);
    if (!key) {
      const { d: _private, ...publicJwk } = stored.jwk;
      key = loadJose().then(({ importJWK }) => importJWK(signing ? stored.jwk : publicJwk, 'ES256'));
      this.imported.set(id, key);
    }
    return key;
  }

  async sign(subject: string, access: RegistryAccess[], ttlMs: number, audience: string): Promise<string> {
    const { current } = await this.load();
    const key = await this.key(current, true);
    const { SignJWT } = await loadJose();
    return new SignJWT({ access })
      .setProtectedHeader({ alg: 'ES256', kid: current.kid, typ: 'JWT' })
      .setIssuer(ISSUER).setSubject(subject).setAudience(audience)
      .setIssuedAt().setNotBefore('0s').setExpirationTime(new Date(Date.now() + ttlMs))
      .setJti(randomUUID())
      .sign(key);
  }

  /** The verified claims, or undefined for a token that is not ours, expired or tampered with. */
  async verify(jwt: string, audience: string): Promise<(JWTPayload & { access?: unknown }) | undefined> {
    try {
      const header = JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: string; alg?: string };
      if (header.alg !== 'ES256') return undefined;
      let doc = await this.load();
      let stored = [doc.current, doc.previous].find((k) => k?.kid === header.kid);
      if (!stored) {
        doc = await this.load(true);
        stored = [doc.current, doc.previous].find((k) => k?.kid === header.kid);
      }
      if (!stored) return undefined;
      const key = await this.key(stored, false);
      const { jwtVerify } = await loadJose();
      const { payload } = await jwtVerify(jwt, key, { issuer: ISSUER, audience, algorithms: ['ES256'] });
      return payload;
    } catch {
      return undefined;
    }
  }
}
