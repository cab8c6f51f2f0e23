// /api/webhooks: deliveries of every hook (GET, admin), sending one again, and a ping to a hook.
// Thin: parse the query, call the webhook service (src/lib/webhooks), shape JSON.
import type { FastifyInstance } from 'fastify';
import type { WebhookService } from '../../lib/webhooks/webhook-service.js';
import { DELIVERY_FILTERS, type DeliveryFilter } from '../../lib/webhooks/deliveries.js';
import { CommonErrors } from '../../lib/errors/catalog.js';

const admin = { access: () => ({ action: 'admin' as const, format: 'nora', name: '' }) };

interface DeliveriesQuery { hook?: string; state?: string; cursor?: string; limit?: string }

export async function webhookRoutes(app: FastifyInstance, { webhooks }: { webhooks: WebhookService }): Promise<void> {
  app.get('/webhooks/deliveries', { config: admin }, async (request) => {
    const { hook, state, cursor, limit } = request.query as DeliveriesQuery;
    if (state !== undefined && !(DELIVERY_FILTERS as readonly string[]).includes(state)) throw CommonErrors.INVALID_QUERY(`state must be one of ${DELIVERY_FILTERS.join(', ')}`);
    if (limit !== undefined && !/^[1-9]\d{0,2}$/.test(limit)) throw CommonErrors.INVALID_QUERY('limit must be an integer from 1 to 500');
    if (limit !== undefined && Number(limit) > 500) throw CommonErrors.INVALID_QUERY('limit must be an integer from 1 to 500');
    return webhooks.deliveries({
      ...(hook ? { hook } : {}),
      ...(state ? { state: state as DeliveryFilter } : {}),
      ...(cursor ? { cursor } : {}),
      ...(limit ? { limit: Number(limit) } : {}),
    });
  });

  app.post('/webhooks/deliveries/:id/redeliver', { config: admin }, async (request) => {
    const { id } = request.params as { id: string };
    return webhooks.redeliver(id);
  });

  app.post('/webhooks/:name/test', { config: admin }, async (request) => {
    const { name } = request.params as { name: string };
    const result = await webhooks.ping(name);
    return { id: result.id, ok: result.ok, ...(result.status === undefined ? {} : { status: result.status }), duration_ms: result.durationMs, ...(result.error ? { error: result.error } : {}) };
  });
}
