// [[webhooks]] tables for tests: every key at its schema default, then the test's own values.
import { webhookFields, type WebhookSettings } from '../../src/lib/config/webhook-fields.js';

export function hookSettings(values: Partial<WebhookSettings> & { name: string; url: string }): WebhookSettings {
  const defaults = Object.fromEntries(Object.entries(webhookFields).map(([key, field]) => [key, field.default])) as WebhookSettings;
  return { ...defaults, ...values };
}

/** The same hook as a TOML table, for a nora.toml a server process reads. */
export function hookToml(values: Record<string, string | number | string[] | Record<string, string>>): string {
  const render = (v: string | number | string[] | Record<string, string>): string =>
    typeof v === 'number' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]`
      : `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} = ${JSON.stringify(x)}`).join(', ')} }`;
  return `[[webhooks]]\n${Object.entries(values).map(([k, v]) => `${k} = ${render(v)}`).join('\n')}\n`;
}
