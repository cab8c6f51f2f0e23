// The in-process bus for domain events. Every mutation of every format, whatever path made it
// (protocol, management API, CLI, gc, restore), is published here exactly once by the format's
// service; the audit log, pull tracking, metrics and later webhooks subscribe. Publishers never
// wait for subscribers, and a failing subscriber never fails the request that published.
import { requestContext } from './request-context.js';

export interface ArtifactRef {
  format: string;
  /** The name access rules match (the format service's accessName: Maven's "org/example/app"). */
  name: string;
  /** Tag, version or file, when the event is about one. */
  reference?: string;
  digest?: string;
}

/** Mutations: each is one audit line. */
export const MUTATIONS = {
  ArtifactPushed: 'push',
  ArtifactDeleted: 'delete',
  TagCreated: 'tag',
  TagDeleted: 'untag',
  ArtifactYanked: 'yank',
  ArtifactUnyanked: 'unyank',
  OwnersChanged: 'owners',
  ArtifactDeprecated: 'deprecate',
  ArtifactUndeprecated: 'undeprecate',
  /** Maven: a plugin prefix now names this plugin artifact (`mvn <prefix>:<goal>`). */
  PluginPrefixSet: 'plugin-prefix',
} as const;

export type MutationType = keyof typeof MUTATIONS;

/** Tenant quota notices (lib/tenants): not mutations, but audit lines and webhook events. */
export const QUOTA_EVENTS = {
  QuotaWarning: 'quota-warning',
  QuotaExceeded: 'quota-exceeded',
} as const;

export type QuotaEventType = keyof typeof QUOTA_EVENTS;

/** What a quota notice says: the tenant, its usage against its quota. */
export interface QuotaNotice {
  tenant: string;
  /** Bytes in use (QuotaExceeded: in use plus what the refused push would add). */
  used: number;
  quota: number;
  /** The threshold crossed (QuotaWarning), or used / quota in percent. */
  percent: number;
}

interface EventFields {
  artifact: ArtifactRef;
  /** Bytes pushed (ArtifactPushed). */
  size?: number;
  /** Identity name of whoever caused it ("gc", "restore" for operator runs). */
  actor?: string;
  /** The request that caused it; filled from the request context when not given. */
  requestId?: string;
  /** Cargo owner changes: the logins added or removed; npm deprecations and quota notices: the message. */
  detail?: string;
  /** ArtifactDeleted of an upstream cache's copy (a cache eviction), not of this store's own artifact: replication never propagates it. */
  cached?: boolean;
  /** OCI: the pushed object is a layer or config blob, a part of an image rather than an artifact (metrics count its bytes, not a push). */
  blob?: boolean;
  /** QuotaWarning / QuotaExceeded. */
  quota?: QuotaNotice;
}

export type DomainEvent = EventFields & { type: MutationType | QuotaEventType | 'ArtifactPulled' };

/** An event as subscribers receive it: with its time. */
export type PublishedEvent = DomainEvent & { at: Date };

type Handler = (event: PublishedEvent) => void | Promise<void>;

export const isMutation = (event: DomainEvent): boolean => event.type in MUTATIONS;

export class EventBus {
  private readonly handlers = new Set<Handler>();

  constructor(
    private readonly onHandlerError: (error: unknown, event: DomainEvent) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Subscribes; returns the function that unsubscribes. */
  subscribe(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  publish(event: DomainEvent): void {
    const requestId = event.requestId ?? requestContext.getStore()?.request_id;
    const stamped: PublishedEvent = { ...event, ...(requestId ? { requestId } : {}), at: this.now() };
    for (const handler of this.handlers) {
      try {
        const result = handler(stamped);
        if (result instanceof Promise) result.catch((error: unknown) => this.onHandlerError(error, event));
      } catch (error) {
        this.onHandlerError(error, event);
      }
    }
  }
}
