// A remote NORA as the destination of a package replication (npm, Maven, Cargo, PyPI), over the
// upstream kit's client: a token goes up front as Bearer (NORA_TOKEN, --dst-token), a username
// and password as Basic. Answers every status below 500 except 401/403/429, which throw like
// 5xx and transport failures (UPSTREAM_*), so the replication's retry decides.
import type { Readable } from 'node:stream';
import type { UpstreamSettings } from '../../../config/upstream-fields.js';
import { UpstreamClient, type UpstreamReply } from '../../../upstream/client.js';
import { ReplicateErrors } from '../errors.js';
import type { RegistryAuth } from '../registry-endpoint.js';

export class RemoteNora {
  readonly label: string;
  private readonly client: UpstreamClient;

  constructor(base: string, auth: RegistryAuth, timeoutMs: number, maxConcurrency: number) {
    const basic = auth && 'username' in auth ? auth : undefined;
    const settings: UpstreamSettings = {
      name: '', url: base, timeout: timeoutMs, metadata_ttl: 0, max_concurrency: maxConcurrency,
      username: basic?.username ?? '', password: basic ? basic.password : auth && 'token' in auth ? auth.token : '',
      password_file: '', password_env: '', proxy: '', ca_file: '',
    };
    this.client = new UpstreamClient(settings);
    this.label = this.client.base;
  }

  request(method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE', path: string, options: { body?: Buffer | Readable; headers?: Record<string, string> } = {}): Promise<UpstreamReply> {
    return this.client.request(this.client.url(path), { method, ...options });
  }

  /** A JSON answer of at most `limit` bytes (404: undefined). */
  async json<T>(path: string, headers: Record<string, string> = {}, limit = 32 * 1024 * 1024): Promise<T | undefined> {
    const reply = await this.request('GET', path, { headers: { accept: 'application/json', ...headers } });
    if (reply.status === 404) { reply.body.resume(); return undefined; }
    if (reply.status !== 200) throw await this.refused(reply, `GET ${path}`);
    return JSON.parse((await this.client.read(reply, limit, path)).toString('utf8')) as T;
  }

  /** A text answer of at most `limit` bytes (404: undefined), such as a checksum file or a directory page. */
  async text(path: string, limit = 4 * 1024 * 1024): Promise<string | undefined> {
    const reply = await this.request('GET', path);
    if (reply.status === 404) { reply.body.resume(); return undefined; }
    if (reply.status !== 200) throw await this.refused(reply, `GET ${path}`);
    return (await this.client.read(reply, limit, path)).toString('utf8');
  }

  /** Sends a write; anything but 2xx is REPLICATE_DESTINATION_REFUSED with the body's message. */
  async write(method: 'PUT' | 'POST' | 'DELETE', path: string, what: string, options: { body?: Buffer | Readable; headers?: Record<string, string> } = {}): Promise<void> {
    const reply = await this.request(method, path, options);
    if (reply.status >= 300) throw await this.refused(reply, what);
    reply.body.resume();
  }

  async refused(reply: UpstreamReply, what: string): Promise<Error> {
    const text = (await this.client.read(reply, 64 * 1024, 'error body').catch(() => Buffer.alloc(0))).toString('utf8');
    return ReplicateErrors.DESTINATION_REFUSED(what, reply.status, errorText(text));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** The message inside a NORA error body of any protocol's shape, else the text. */
function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; errors?: Array<{ detail?: unknown; message?: unknown }> };
    if (typeof body.error === 'string') return body.error;
    const first = body.errors?.[0];
    const said = first?.detail ?? first?.message;
    if (typeof said === 'string') return said;
  } catch { /* plain text */ }
  return text.trim().slice(0, 300);
}
