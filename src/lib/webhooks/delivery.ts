// What a delivery carries and the bytes a receiver gets: the event as queued in the store, the
// body in the hook's format (NORA's JSON or CloudEvents 1.0 structured mode), its HMAC signature
// and the headers. The body is rebuilt the same way on every attempt, so retries are identical.
import { createHmac } from 'node:crypto';
import type { ArtifactRef } from '../events/bus.js';
import type { WebhookEvent } from '../config/webhook-fields.js';
import { NORA_VERSION } from '../version.js';
import type { Hook } from './hooks.js';

/** The queued event (payload of a queue item); the item id is the delivery id. */
export interface DeliveryPayload {
  event: WebhookEvent | 'ping';
  artifact?: ArtifactRef;
  /** When the event happened (ISO 8601). */
  at: string;
  size?: number;
  actor?: string;
  request_id?: string;
  detail?: string;
}

export interface Request {
  body: Buffer;
  headers: Record<string, string>;
}

/** CloudEvents `type` of a NORA event: "dev.nora.artifact.push", ... ("dev.nora.ping" for a ping). */
export const cloudEventType = (event: string) => (event === 'ping' ? 'dev.nora.ping' : `dev.nora.artifact.${event}`);

/** The request for delivery `id` of `payload` to `hook`; `source` names this registry (its public URL). */
export function buildRequest(hook: Hook, id: string, payload: DeliveryPayload, attempt: number, source: string): Request {
  const data = {
    ...(payload.artifact ? { artifact: payload.artifact } : {}),
    ...(payload.size === undefined ? {} : { size: payload.size }),
    ...(payload.actor === undefined ? {} : { actor: payload.actor }),
    ...(payload.request_id === undefined ? {} : { request_id: payload.request_id }),
    ...(payload.detail === undefined ? {} : { detail: payload.detail }),
  };
  const document = hook.settings.format === 'cloudevents'
    ? {
        specversion: '1.0',
        id,
        source,
        type: cloudEventType(payload.event),
        ...(payload.artifact ? { subject: `${payload.artifact.format}:${payload.artifact.name}${payload.artifact.reference ? `:${payload.artifact.reference}` : ''}` } : {}),
        time: payload.at,
        datacontenttype: 'application/json',
        data: { hook: hook.name, ...data },
      }
    : { id, hook: hook.name, event: payload.event, timestamp: payload.at, ...data };
  const body = Buffer.from(JSON.stringify(document));
  const headers: Record<string, string> = {
    ...hook.settings.headers,
    'content-type': hook.settings.format === 'cloudevents' ? 'application/cloudevents+json' : 'application/json',
    'user-agent': `nora/${NORA_VERSION}`,
    'x-nora-event': payload.event,
    'x-nora-delivery': id,
    'x-nora-hook': hook.name,
    'x-nora-attempt': String(attempt),
    ...(hook.secret ? { 'x-nora-signature': sign(hook.secret, body) } : {}),
  };
  return { body, headers };
}

/** "sha256=<hex HMAC-SHA256 of the body>", what X-Nora-Signature carries. */
export function sign(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
