// Sends one delivery attempt with undici: a POST with the hook's timeout over the whole
// exchange, no redirects followed, the receiver's answer read only up to a short excerpt.
// 2xx acknowledges; anything else (status, refused connection, timeout) is a failed attempt.
import type { Agent } from 'undici';
import type { Hook } from './hooks.js';
import type { Request } from './delivery.js';

export interface SendResult {
  ok: boolean;
  /** HTTP status, when the receiver answered. */
  status?: number;
  durationMs: number;
  /** Why the attempt failed, for the delivery's last_error (never the body sent). */
  error?: string;
}

const EXCERPT = 200;

export class HookSender {
  // Made on the first delivery: undici is loaded only then (start-up time, idle memory).
  private agent: Agent | undefined;

  constructor(private readonly hook: Hook, private readonly now: () => number = Date.now) {}

  async send(attempt: Request): Promise<SendResult> {
    const started = this.now();
    const elapsed = () => Math.max(0, this.now() - started);
    try {
      const { Agent, request } = await import('undici');
      const timeout = this.hook.settings.timeout;
      this.agent ??= new Agent({ connections: this.hook.settings.concurrency, headersTimeout: timeout, bodyTimeout: timeout, connectTimeout: timeout, keepAliveTimeout: 30_000 });
      const response = await request(this.hook.settings.url, {
        method: 'POST',
        headers: attempt.headers,
        body: attempt.body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.hook.settings.timeout),
      });
      const excerpt = await readExcerpt(response.body);
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      return { ok, status: response.statusCode, durationMs: elapsed(), ...(ok ? {} : { error: `HTTP ${response.statusCode}${excerpt ? `: ${excerpt}` : ''}` }) };
    } catch (error) {
      return { ok: false, durationMs: elapsed(), error: describe(error, this.hook.settings.timeout) };
    }
  }

  async close(): Promise<void> {
    await this.agent?.close();
  }
}

/** The first bytes of a response as one line of text; the rest is discarded. */
async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body) {
      text += chunk.toString('utf8');
      if (text.length >= EXCERPT) break;
    }
  } finally {
    body.destroy();
  }
  return text.slice(0, EXCERPT).replace(/\s+/g, ' ').trim();
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as Error & { code?: string; cause?: Error & { code?: string } };
  if (e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT') return `no answer within ${timeoutMs} ms`;
  const code = e.cause?.code ?? e.code;
  return `${code ? `${code}: ` : ''}${e.cause?.message ?? e.message}`;
}
