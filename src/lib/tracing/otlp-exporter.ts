// Sends finished spans to an OTLP/HTTP collector as JSON (POST <endpoint>/v1/traces,
// https://opentelemetry.io/docs/specs/otlp/#otlphttp): in batches of up to 512, every
// `intervalMs`, and on shutdown. The queue is bounded (drops the newest past 4,096 and counts
// them), so a dead collector never grows memory; a failed batch is dropped and reported once
// per failure streak, never retried into a backlog. Requests never carry a traceparent
// themselves (no span of the exporter's own calls).
import { request } from 'undici';
import type { SpanAttributes, SpanKind } from './span-context.js';
import type { FinishedSpan, SpanSink } from './tracer.js';

export interface OtlpExporterOptions {
  endpoint: string;
  serviceName: string;
  serviceVersion: string;
  intervalMs?: number;
  maxQueue?: number;
  onError?: (message: string) => void;
}

const KIND: Record<SpanKind, number> = { internal: 1, server: 2, client: 3 };
const BATCH = 512;

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

const value = (v: string | number | boolean): AnyValue => {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
};

const attributes = (a: SpanAttributes) => Object.entries(a).map(([key, v]) => ({ key, value: value(v) }));

export class OtlpExporter implements SpanSink {
  private queue: FinishedSpan[] = [];
  private dropped = 0;
  private failing = false;
  private sending: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly url: string;

  constructor(private readonly options: OtlpExporterOptions) {
    this.url = `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
    this.timer = setInterval(() => void this.flush(), options.intervalMs ?? 5000);
    this.timer.unref();
  }

  add(span: FinishedSpan): void {
    if (this.queue.length >= (this.options.maxQueue ?? 4096)) { this.dropped++; return; }
    this.queue.push(span);
    if (this.queue.length >= BATCH) void this.flush();
  }

  /** Sends everything queued now; resolves when it (and earlier sends) finished. */
  flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      this.sending = this.sending.then(() => this.send(batch));
    }
    return this.sending;
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.dropped > 0) this.options.onError?.(`tracing: ${this.dropped} spans dropped (export queue full)`);
  }

  private async send(batch: FinishedSpan[]): Promise<void> {
    const body = JSON.stringify(this.document(batch));
    try {
      const reply = await request(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
      await reply.body.dump();
      if (reply.statusCode >= 300) throw new Error(`status ${reply.statusCode}`);
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.options.onError?.(`tracing: sending ${batch.length} spans to ${this.url} failed: ${(error as Error).message}`);
      this.failing = true;
    }
  }

  private document(batch: FinishedSpan[]) {
    const resource = { attributes: attributes({ 'service.name': this.options.serviceName, 'service.version': this.options.serviceVersion }) };
    const spans = batch.map((s) => ({
      traceId: s.traceId, spanId: s.spanId, ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
      name: s.name, kind: KIND[s.kind], startTimeUnixNano: s.startNanos, endTimeUnixNano: s.endNanos,
      attributes: attributes(s.attributes),
      status: s.error ? { code: 2, message: s.error } : { code: 0 },
    }));
    return { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'nora', version: this.options.serviceVersion }, spans }] }] };
  }
}
