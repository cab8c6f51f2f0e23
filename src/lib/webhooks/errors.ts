// Errors of webhooks (`/api/webhooks`, `nora webhooks`), in NORA's JSON shape.
import { defineError } from '../errors/catalog.js';

export const WebhookErrors = {
  WEBHOOK_UNKNOWN: defineError('WEBHOOK_UNKNOWN', 404, 'No [[webhooks]] table has that name.',
    (name: string, known: string[]) => `no webhook named ${JSON.stringify(name)}; configured: ${known.length ? known.join(', ') : 'none'}`),
  DELIVERY_NOT_FOUND: defineError('DELIVERY_NOT_FOUND', 404, 'No webhook delivery has that id.',
    (id: string) => `no webhook delivery with id ${JSON.stringify(id)}`),
  WEBHOOK_SECRET_MISSING: defineError('WEBHOOK_SECRET_MISSING', 500, 'A webhook\'s secret_env names an environment variable that is not set.',
    (index: number, name: string, variable: string) => `webhooks[${index}].secret_env: environment variable ${variable} (secret of webhook "${name}") is not set`),
};
