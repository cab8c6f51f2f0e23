// API tokens: "nra_" + 32 random bytes (base64url). Only the SHA-256 of a token is stored, as the
// document auth/tokens/<hash>.json in the object store, so several servers on one bucket agree and
// a revoked or expired token fails on the very next request (looked up on every use).
import { createHash, randomBytes } from 'node:crypto';
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, updateDocument, writeDocument } from '../storage/documents.js';

export const TOKEN_PREFIX = 'nra_';
const PREFIX = 'auth/tokens/';
/** last_used is written at most this often per token. */
const TOUCH_EVERY = 60_000;

export interface TokenRecord {
  /** First 12 hex chars of the hash: how `ls` and `revoke` name a token. */
  id: string;
  name: string;
  owner: string;
  permissions: string[];
  /** True when the owner's current rules also apply (user tokens); false for OIDC tokens. */
  owner_rules: boolean;
  created: string;
  expires: string | null;
  last_used: string | null;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const looksLikeToken = (text: string): boolean => /^nra_[A-Za-z0-9_-]{43,}$/.test(text);

export class TokenStore {
  /** `now` is the clock expiry is decided with (tests drive it). */
  constructor(private readonly store: ObjectStore, private readonly now: () => number = () => Date.now()) {}

  /** `now` (ms since the epoch) is when the lifetime starts; the caller may have capped `ttlMs` from it. */
  async create(input: { name: string; owner: string; permissions: string[]; ttlMs: number; ownerRules?: boolean; now?: number }): Promise<{ token: string; record: TokenRecord }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const hash = hashToken(token);
    const now = new Date(input.now ?? this.now());
    const record: TokenRecord = {
      id: hash.slice(0, 12), name: input.name, owner: input.owner, permissions: input.permissions,
      owner_rules: input.ownerRules ?? true, created: now.toISOString(),
      expires: input.ttlMs > 0 ? new Date(now.getTime() + input.ttlMs).toISOString() : null, last_used: null,
    };
    await writeDocument(this.store, `${PREFIX}${hash}.json`, record);
    return { token, record };
  }

  /** The live record of a token, or undefined when unknown, revoked or expired. */
  async lookup(token: string): Promise<TokenRecord | undefined> {
    if (!looksLikeToken(token)) return undefined;
    const key = `${PREFIX}${hashToken(token)}.json`;
    const doc = await readDocument<TokenRecord>(this.store, key);
    if (!doc) return undefined;
    const record = doc.value;
    const now = this.now();
    if (record.expires && Date.parse(record.expires) <= now) return undefined;
    if (!record.last_used || now - Date.parse(record.last_used) > TOUCH_EVERY) {
      // Best effort, and conditional: a token revoked meanwhile must stay deleted.
      const used = new Date(now).toISOString();
      updateDocument<TokenRecord>(this.store, key, (current) => (current ? { ...current, last_used: used } : undefined), { attempts: 2 }).catch(() => undefined);
    }
    return record;
  }

  async list(owner?: string): Promise<TokenRecord[]> {
    const out: TokenRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.list(PREFIX, cursor ? { cursor } : {});
      for (const item of page.items) {
        const doc = await readDocument<TokenRecord>(this.store, item.key);
        if (doc && (owner === undefined || doc.value.owner === owner)) out.push(doc.value);
      }
      cursor = page.cursor;
    } while (cursor);
    return out.sort((a, b) => a.created.localeCompare(b.created));
  }

  /** Revokes by id (or the token itself); returns the revoked record when found (and owned by `owner`, if given). */
  async revoke(idOrToken: string, owner?: string): Promise<TokenRecord | undefined> {
    const match = looksLikeToken(idOrToken)
      ? (await this.list(owner)).find((r) => r.id === hashToken(idOrToken).slice(0, 12))
      : (await this.list(owner)).find((r) => r.id === idOrToken);
    if (!match) return undefined;
    const page = await this.store.list(`${PREFIX}${match.id}`);
    for (const item of page.items) await this.store.delete(item.key);
    return match;
  }
}
