// A configured [[webhooks]] table made ready to use: its filter compiled, its secret read from
// the environment once, its queue named. Deliveries of a hook go through its own queue.
import type { WebhookEvent, WebhookSettings } from '../config/webhook-fields.js';
import { MUTATIONS, type PublishedEvent } from '../events/bus.js';
import { simpleGlob } from '../glob/simple-glob.js';
import { WebhookErrors } from './errors.js';

export interface Hook {
  name: string;
  settings: WebhookSettings;
  /** The signing secret, when secret_env is set; never logged. */
  secret?: string;
  /** Set when secret_env names a variable that is unset: the hook cannot send (assertSecrets). */
  missingSecret?: Error;
  queueName: string;
  selects(event: PublishedEvent): boolean;
}

/** The webhook event name of a bus event ("push" for ArtifactPushed, "pull" for ArtifactPulled). */
export function webhookEvent(event: PublishedEvent): WebhookEvent {
  return event.type === 'ArtifactPulled' ? 'pull' : MUTATIONS[event.type];
}

/**
 * Throws WEBHOOK_SECRET_MISSING for the first hook whose secret_env variable is unset, so a
 * server never starts sending unsigned bodies to a receiver that expects signed ones.
 */
export function assertSecrets(hooks: Hook[]): void {
  const missing = hooks.find((h) => h.missingSecret);
  if (missing) throw missing.missingSecret;
}

/** Compiles every hook (listing deliveries needs no secret; sending does: see assertSecrets). */
export function compileHooks(settings: WebhookSettings[], env: NodeJS.ProcessEnv = process.env): Hook[] {
  return settings.map((hook, index) => {
    const secret = hook.secret_env ? env[hook.secret_env] : undefined;
    const missingSecret = hook.secret_env && !secret ? WebhookErrors.WEBHOOK_SECRET_MISSING(index, hook.name, hook.secret_env) : undefined;
    const events = new Set<string>(hook.events);
    const matchers = hook.match.map((entry) => {
      const colon = entry.indexOf(':');
      const format = colon < 0 ? '*' : entry.slice(0, colon);
      const glob = simpleGlob(colon < 0 ? entry : entry.slice(colon + 1));
      return (f: string, name: string) => (format === '*' || format === f) && glob(name);
    });
    const selects = (event: PublishedEvent) => {
      const name = webhookEvent(event);
      if (events.size === 0 ? name === 'pull' : !events.has(name)) return false;
      return matchers.length === 0 || matchers.some((m) => m(event.artifact.format, event.artifact.name));
    };
    return { name: hook.name, settings: hook, ...(secret ? { secret } : {}), ...(missingSecret ? { missingSecret } : {}), queueName: `webhook-${hook.name}`, selects };
  });
}
