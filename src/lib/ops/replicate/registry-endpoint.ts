// A remote OCI registry (distribution, a NORA, gcr.io, quay.io, ECR, ...) as a replication
// source or destination, over the upstream kit's client. Credentials: a username and password
// answer the registry's challenge (Docker token protocol or Basic, oci/upstream/token-auth.ts);
// a token is sent up front as Bearer (a NORA API token, a registry token). Blob uploads stream:
// POST opens the session (and meets the challenge while its body is empty), one PUT carries the
// bytes. https://github.com/opencontainers/distribution-spec/blob/main/spec.md
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { UpstreamSettings } from '../../config/upstream-fields.js';
import { MEDIA_TYPES_ACCEPTED } from '../../oci/upstream/accept.js';
import { TokenAuth } from '../../oci/upstream/token-auth.js';
import { UpstreamClient, type UpstreamReply } from '../../upstream/client.js';
import { UpstreamErrors } from '../../upstream/errors.js';
import type { FetchedManifest, OciEndpoint } from './endpoint.js';
import { ReplicateErrors } from './errors.js';

export type RegistryAuth = { username: string; password: string } | { token: string } | undefined;

export interface RegistryEndpointOptions {
  /** Base URL, e.g. https://quay.io (no path). */
  base: string;
  auth: RegistryAuth;
  timeoutMs: number;
  /** Most requests in flight to this registry. */
  maxConcurrency: number;
}

const ACCEPT = `${MEDIA_TYPES_ACCEPTED}, application/vnd.docker.distribution.manifest.v1+prettyjws;q=0.1`;
const MANIFEST_LIMIT = 4 * 1024 * 1024;
const PAGE = 1000;

export class RegistryEndpoint implements OciEndpoint {
  readonly label: string;
  private readonly client: UpstreamClient;

  constructor(options: RegistryEndpointOptions) {
    const auth = options.auth;
    const settings: UpstreamSettings = {
      name: '', url: options.base, timeout: options.timeoutMs, metadata_ttl: 0, max_concurrency: options.maxConcurrency,
      username: auth && 'username' in auth ? auth.username : '', password: auth && 'username' in auth ? auth.password : '',
      password_file: '', password_env: '', proxy: '', ca_file: '',
    };
    const token = auth && 'token' in auth ? `Bearer ${auth.token}` : undefined;
    this.client = new UpstreamClient(settings, {
      authorizer: (client) => (token ? { header: () => token } : new TokenAuth(client)),
    });
    this.label = this.client.base;
  }

  async repositories(): Promise<string[]> {
    const names: string[] = [];
    let next: string | undefined = this.client.url(`v2/_catalog?n=${PAGE}`);
    while (next) {
      let reply: UpstreamReply;
      try {
        reply = await this.client.request(next, { scope: 'registry:catalog:*' });
      } catch (error) {
        if ((error as { code?: string }).code === 'UPSTREAM_DENIED') throw ReplicateErrors.NO_CATALOG(new URL(this.label).host, 'its catalog refused access');
        throw error;
      }
      if (reply.status !== 200) throw ReplicateErrors.NO_CATALOG(new URL(this.label).host, `GET /v2/_catalog answered ${reply.status}`);
      const body = JSON.parse((await this.client.read(reply, 16 * 1024 * 1024, 'catalog')).toString('utf8')) as { repositories?: unknown };
      const page = Array.isArray(body.repositories) ? body.repositories.filter((n): n is string => typeof n === 'string') : [];
      names.push(...page);
      next = page.length ? this.nextLink(reply) : undefined;
    }
    return names;
  }

  async tags(repo: string): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = this.client.url(`v2/${repo}/tags/list?n=${PAGE}`);
    while (next) {
      const reply = await this.send(next, 'GET', repo);
      if (reply.status === 404) { reply.body.resume(); return tags; }
      const body = JSON.parse((await this.client.read(reply, 16 * 1024 * 1024, 'tag list')).toString('utf8')) as { tags?: unknown };
      const page = Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === 'string') : [];
      tags.push(...page);
      next = page.length ? this.nextLink(reply) : undefined;
    }
    return tags;
  }

  async manifest(repo: string, reference: string): Promise<FetchedManifest | undefined> {
    const reply = await this.send(this.client.url(`v2/${repo}/manifests/${reference}`), 'GET', repo, { accept: ACCEPT });
    if (reply.status === 404) { reply.body.resume(); return undefined; }
    const bytes = await this.client.read(reply, MANIFEST_LIMIT, 'manifest');
    const algorithm = reference.includes(':') ? reference.split(':', 1)[0]! : 'sha256';
    const digest = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
    if (reference.includes(':') && digest !== reference) {
      throw UpstreamErrors.INTEGRITY(this.client.site(reply.url), `manifest ${reference}`, `its bytes hash to ${digest}`);
    }
    const type = String(reply.headers['content-type'] ?? '').split(';', 1)[0]!.trim();
    return { bytes, digest, mediaType: type || mediaTypeInside(bytes) };
  }

  async manifestDigest(repo: string, reference: string): Promise<string | undefined> {
    const reply = await this.send(this.client.url(`v2/${repo}/manifests/${reference}`), 'HEAD', repo, { accept: ACCEPT });
    if (reply.status === 404) return undefined;
    const header = reply.headers['docker-content-digest'];
    const digest = Array.isArray(header) ? header[0] : header;
    if (digest) return digest;
    return (await this.manifest(repo, reference))?.digest;
  }

  async referrers(repo: string, digest: string): Promise<string[]> {
    const reply = await this.send(this.client.url(`v2/${repo}/referrers/${digest}`), 'GET', repo, { accept: 'application/vnd.oci.image.index.v1+json' });
    if (reply.status !== 200) { reply.body.resume(); return []; }
    const body = JSON.parse((await this.client.read(reply, MANIFEST_LIMIT, 'referrers index')).toString('utf8')) as { manifests?: Array<{ digest?: unknown }> };
    return (body.manifests ?? []).map((m) => m.digest).filter((d): d is string => typeof d === 'string');
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    const reply = await this.send(this.client.url(`v2/${repo}/blobs/${digest}`), 'HEAD', repo);
    return reply.status === 200;
  }

  async openBlob(repo: string, digest: string): Promise<Readable> {
    const reply = await this.send(this.client.url(`v2/${repo}/blobs/${digest}`), 'GET', repo);
    if (reply.status === 404) { reply.body.resume(); throw ReplicateErrors.SOURCE_MISSING(`blob ${digest} of ${repo}`); }
    reply.body.on('error', () => undefined);
    return reply.body;
  }

  async mountBlob(repo: string, from: string, digest: string): Promise<boolean> {
    const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    let reply: UpstreamReply;
    try {
      reply = await this.client.request(this.client.url(`v2/${repo}/blobs/uploads/?${query}`), { method: 'POST', body: Buffer.alloc(0), scope: push(repo) });
    } catch (error) {
      // A token scoped to `repo` may not cover pull on `from` (token registries answer 401): upload instead.
      if ((error as { code?: unknown }).code === UpstreamErrors.DENIED.code) return false;
      throw error;
    }
    reply.body.resume();
    if (reply.status === 201) return true;
    // 202: the registry opened an upload session instead of mounting; cancel it (the caller uploads).
    const location = header(reply, 'location');
    if (reply.status === 202 && location) await this.client.request(this.resolve(location), { method: 'DELETE', scope: push(repo) }).then((r) => r.body.resume(), () => undefined);
    return false;
  }

  async putBlob(repo: string, digest: string, size: number, body: Readable): Promise<void> {
    const opened = await this.client.request(this.client.url(`v2/${repo}/blobs/uploads/`), { method: 'POST', body: Buffer.alloc(0), scope: push(repo) });
    const location = header(opened, 'location');
    if (opened.status !== 202 || !location) throw await this.refused(opened, `an upload session in ${repo}`);
    opened.body.resume();
    const target = this.resolve(location);
    const url = `${target}${target.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
    const reply = await this.client.request(url, {
      method: 'PUT', body, scope: push(repo),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    });
    if (reply.status !== 201) throw await this.refused(reply, `blob ${digest} in ${repo}`);
    reply.body.resume();
  }

  async putManifest(repo: string, reference: string, manifest: FetchedManifest): Promise<void> {
    const reply = await this.client.request(this.client.url(`v2/${repo}/manifests/${reference}`), {
      method: 'PUT', body: manifest.bytes, scope: push(repo), headers: { 'content-type': manifest.mediaType },
    });
    if (reply.status !== 201 && reply.status !== 200) throw await this.refused(reply, `manifest ${reference} in ${repo}`);
    reply.body.resume();
  }

  /** Deletes a tag (a NORA removes only the tag); false when it was not there. */
  async deleteTag(repo: string, tag: string): Promise<boolean> {
    const reply = await this.client.request(this.client.url(`v2/${repo}/manifests/${tag}`), { method: 'DELETE', scope: push(repo) });
    if (reply.status === 404) { reply.body.resume(); return false; }
    if (reply.status >= 300) throw await this.refused(reply, `deleting tag ${tag} of ${repo}`);
    reply.body.resume();
    return true;
  }

  /** The upstream kit's failure for an error raised while reading this side's bytes. */
  failure(error: unknown): Error {
    return this.client.failure(error);
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private send(url: string, method: 'GET' | 'HEAD', repo: string, headers?: Record<string, string>): Promise<UpstreamReply> {
    return this.client.request(url, { method, scope: `repository:${repo}:pull`, ...(headers ? { headers } : {}) }).then((reply) => {
      if (reply.status >= 300 && reply.status !== 404) throw this.client.unexpected(reply);
      return reply;
    });
  }

  private resolve(location: string): string {
    return new URL(location, `${this.client.base}/`).href;
  }

  private nextLink(reply: UpstreamReply): string | undefined {
    const link = header(reply, 'link');
    const match = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : undefined;
    return match ? this.resolve(match[1]!) : undefined;
  }

  private async refused(reply: UpstreamReply, what: string): Promise<Error> {
    const text = (await this.client.read(reply, 64 * 1024, 'error body').catch(() => Buffer.alloc(0))).toString('utf8');
    let message = text.slice(0, 300);
    try {
      const errors = (JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> }).errors;
      if (errors?.length) message = errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    } catch { /* not JSON: keep the text */ }
    return ReplicateErrors.DESTINATION_REFUSED(what, reply.status, message);
  }
}

const push = (repo: string) => `repository:${repo}:pull,push`;

function header(reply: UpstreamReply, name: string): string | undefined {
  const value = reply.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The mediaType a manifest declares inside, when the registry sent no Content-Type. */
function mediaTypeInside(bytes: Buffer): string {
  try {
    const type = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType;
    return typeof type === 'string' ? type : 'application/vnd.oci.image.manifest.v1+json';
  } catch {
    return 'application/vnd.oci.image.manifest.v1+json';
  }
}
