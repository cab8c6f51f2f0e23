// How deliveries are shown (API, `nora webhooks deliveries`): one flat record per delivery, and
// paging over the queues of several hooks with one opaque cursor.
import type { DurableQueue } from '../coordination/durable-queue.js';
import type { ItemState, QueueItem } from '../coordination/queue-item.js';
import { ITEM_STATES } from '../coordination/queue-item.js';
import { CommonErrors } from '../errors/catalog.js';
import type { ArtifactRef } from '../events/bus.js';
import type { DeliveryPayload } from './delivery.js';

export interface DeliveryView {
  id: string;
  hook: string;
  event: string;
  artifact?: ArtifactRef;
  /** pending (waiting or retrying), claimed (being sent), done (acknowledged), dead (gave up). */
  state: ItemState;
  attempts: number;
  max_attempts: number;
  enqueued_at: string;
  /** When a pending delivery is next tried. */
  next_attempt_at?: string;
  finished_at?: string;
  /** The last attempt: its HTTP status (absent when the receiver did not answer), duration and time. */
  last_status?: number;
  last_duration_ms?: number;
  last_attempt_at?: string;
  last_error?: string;
}

/** A state, or "failed": dead-lettered plus pending ones that failed at least once. */
export type DeliveryFilter = ItemState | 'failed';

export const DELIVERY_FILTERS: readonly DeliveryFilter[] = [...ITEM_STATES, 'failed'];

export interface DeliveryQuery {
  hook?: string;
  state?: DeliveryFilter;
  cursor?: string;
  /** Deliveries per page (default 50, at most 500). */
  limit?: number;
}

export interface DeliveryPage {
  deliveries: DeliveryView[];
  /** Present when more may follow: pass it back as `cursor`. */
  cursor?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function deliveryView(hook: string, item: QueueItem<DeliveryPayload>): DeliveryView {
  const outcome = item.outcome ?? {};
  return {
    id: item.id,
    hook,
    event: item.payload.event,
    ...(item.payload.artifact ? { artifact: item.payload.artifact } : {}),
    state: item.state,
    attempts: item.attempts,
    max_attempts: item.maxAttempts,
    enqueued_at: iso(item.enqueuedAt),
    ...(item.state === 'pending' ? { next_attempt_at: iso(item.availableAt) } : {}),
    ...(item.finishedAt === undefined ? {} : { finished_at: iso(item.finishedAt) }),
    ...(typeof outcome.status === 'number' ? { last_status: outcome.status } : {}),
    ...(typeof outcome.duration_ms === 'number' ? { last_duration_ms: outcome.duration_ms } : {}),
    ...(typeof outcome.at === 'string' ? { last_attempt_at: outcome.at } : {}),
    ...(item.lastError === undefined ? {} : { last_error: item.lastError }),
  };
}

interface Position {
  hook: string;
  cursor?: string;
}

const encode = (position: Position) => Buffer.from(JSON.stringify(position)).toString('base64url');

function decode(cursor: string, hooks: string[]): Position {
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Position;
    if (typeof position.hook === 'string' && hooks.includes(position.hook) && (position.cursor === undefined || typeof position.cursor === 'string')) return position;
  } catch {
    // fall through
  }
  throw CommonErrors.INVALID_QUERY('cursor is not one this listing returned');
}

const selects = (filter: DeliveryFilter | undefined, item: QueueItem<DeliveryPayload>) =>
  filter === undefined || (filter === 'failed' ? item.state === 'dead' || (item.state === 'pending' && item.lastError !== undefined) : item.state === filter);

/** Stored items examined per call at most, so one request stays bounded whatever the filter drops. */
const MAX_PAGES_PER_CALL = 10;

export async function pageDeliveries(queues: Array<{ hook: string; queue: DurableQueue<DeliveryPayload> }>, query: DeliveryQuery): Promise<DeliveryPage> {
  const limit = Math.min(Math.max(1, query.limit ?? 50), 500);
  const chosen = query.hook === undefined ? queues : queues.filter((q) => q.hook === query.hook);
  const names = chosen.map((q) => q.hook);
  let position: Position | undefined = query.cursor === undefined ? (names[0] === undefined ? undefined : { hook: names[0] }) : decode(query.cursor, names);
  const state = query.state === 'failed' ? undefined : query.state;
  const deliveries: DeliveryView[] = [];
  for (let pages = 0; position && deliveries.length < limit && pages < MAX_PAGES_PER_CALL; pages++) {
    const { hook, queue } = chosen.find((q) => q.hook === position!.hook)!;
    const page = await queue.list({ limit: limit - deliveries.length, ...(state ? { state } : {}), ...(position.cursor === undefined ? {} : { cursor: position.cursor }) });
    for (const item of page.items) if (selects(query.state, item)) deliveries.push(deliveryView(hook, item));
    const next = names[names.indexOf(hook) + 1];
    position = page.cursor !== undefined ? { hook, cursor: page.cursor } : next === undefined ? undefined : { hook: next };
  }
  return { deliveries, ...(position ? { cursor: encode(position) } : {}) };
}
