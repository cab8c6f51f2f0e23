// The audit log: one JSON line per mutation (push, tag, delete, publish, yank, token create and
// revoke, login, OIDC exchange, config reload) with time, identity, source address, action,
// resource, digest/version, outcome and request id. It never receives a secret: callers pass
// names and ids only. Domain events are subscribed from the bus; auth events are written directly.
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { MUTATIONS, QUOTA_EVENTS, type EventBus } from '../events/bus.js';
import { requestContext } from '../events/request-context.js';

export interface AuditEntry {
  identity: string;
  action: string;
  resource?: string;
  reference?: string;
  digest?: string;
  size?: number;
  outcome: 'ok' | 'denied' | 'failed';
  address?: string;
  request_id?: string;
  detail?: string;
}

const MAX_IDENTITY = 256;

/** The request being served (set by the server per request), so every line names its source. */
export const auditContext = requestContext;

export class AuditLog {
  private chain: Promise<void> = Promise.resolve();
  private readonly ready: Promise<unknown>;
  /** The latest lines, kept in memory too (the only copy when there is no file). */
  readonly recent: Array<AuditEntry & { time: string }> = [];

  /** `file` '' keeps the log in memory only (the memory backend without `[audit] path`). */
  constructor(private readonly file: string) {
    this.ready = file ? mkdir(path.dirname(file), { recursive: true }).catch(() => undefined) : Promise.resolve();
  }

  write(entry: AuditEntry): Promise<void> {
    // A failed login's identity is whatever name the client sent: keep a line a line.
    const identity = entry.identity.length > MAX_IDENTITY ? `${entry.identity.slice(0, MAX_IDENTITY)}...` : entry.identity;
    const stamped = { time: new Date().toISOString(), ...auditContext.getStore(), ...entry, identity };
    this.recent.push(stamped);
    if (this.recent.length > 1000) this.recent.shift();
    if (!this.file) return this.chain;
    const line = `${JSON.stringify(stamped)}\n`;
    this.chain = this.chain.then(() => this.ready).then(() => appendFile(this.file, line, { mode: 0o600 })).catch(() => undefined);
    return this.chain;
  }

  /** Subscribes to domain events: one line per mutation and quota notice; pulls are not written. */
  follow(events: EventBus): () => void {
    return events.subscribe((event) => {
      if (event.type === 'ArtifactPulled') return;
      const a = event.artifact;
      const action = event.type === 'QuotaWarning' || event.type === 'QuotaExceeded' ? QUOTA_EVENTS[event.type] : MUTATIONS[event.type];
      void this.write({
        identity: event.actor ?? 'anonymous', action, resource: `${a.format}:${a.name}`,
        outcome: event.type === 'QuotaExceeded' ? 'denied' : 'ok',
        ...(a.reference ? { reference: a.reference } : {}), ...(a.digest ? { digest: a.digest } : {}),
        ...(event.size !== undefined ? { size: event.size } : {}), ...(event.requestId ? { request_id: event.requestId } : {}),
        ...(event.detail ? { detail: event.detail } : {}),
      });
    });
  }

  /** Resolves once every line written so far is on disk (tests, shutdown). */
  flush(): Promise<void> {
    return this.chain;
  }
}
