// Spans of one process: ids, sampling, timing, and handing ended spans to the exporter. Sampling
// is decided once per trace: a parent's decision (the incoming traceparent's sampled flag) is
// kept; a new trace is sampled when its id's low 56 bits fall under sample_ratio, so every
// service with the same ratio keeps the same traces. Unsampled spans still propagate context.
import { randomBytes } from 'node:crypto';
import type { Span, SpanAttributes, SpanKind } from './span-context.js';
import { formatTraceparent, type ParentContext } from './traceparent.js';

/** A finished span as the exporter sends it. */
export interface FinishedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** Nanoseconds since the epoch, as decimal strings (OTLP's fixed64). */
  startNanos: string;
  endNanos: string;
  attributes: SpanAttributes;
  error?: string;
}

export interface SpanSink {
  add(span: FinishedSpan): void;
}

export interface TracerOptions {
  sampleRatio: number;
  sink: SpanSink;
  /** Nanoseconds since the epoch (tests pass their own clock). */
  nowNanos?: () => bigint;
}

// Wall-clock start plus the monotonic clock: an end never precedes its start.
const ORIGIN = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
const epochNanos = () => ORIGIN + process.hrtime.bigint();

export class Tracer {
  private readonly now: () => bigint;

  constructor(private readonly options: TracerOptions) {
    this.now = options.nowNanos ?? epochNanos;
  }

  /** A root span of this process (a request), under `parent` when the caller sent a traceparent. */
  startSpan(name: string, attributes: SpanAttributes, kind: SpanKind, parent?: ParentContext): Span {
    const traceId = parent?.traceId ?? randomBytes(16).toString('hex');
    const sampled = parent ? parent.sampled : this.samples(traceId);
    return new RecordingSpan(this, { traceId, sampled, name, kind, attributes, ...(parent ? { parentSpanId: parent.spanId } : {}) });
  }

  samples(traceId: string): boolean {
    const ratio = this.options.sampleRatio;
    if (ratio >= 1) return true;
    if (ratio <= 0) return false;
    return Number.parseInt(traceId.slice(-14), 16) < ratio * 2 ** 56;
  }

  nanos(): bigint {
    return this.now();
  }

  finish(span: FinishedSpan): void {
    this.options.sink.add(span);
  }
}

interface SpanStart {
  traceId: string;
  parentSpanId?: string;
  sampled: boolean;
  name: string;
  kind: SpanKind;
  attributes: SpanAttributes;
}

class RecordingSpan implements Span {
  readonly spanId = randomBytes(8).toString('hex');
  readonly traceparent: string;
  private readonly started: bigint;
  private readonly attributes: SpanAttributes;
  private error: string | undefined;
  private ended = false;

  constructor(private readonly tracer: Tracer, private readonly start: SpanStart) {
    this.started = tracer.nanos();
    this.attributes = { ...start.attributes };
    this.traceparent = formatTraceparent(start.traceId, this.spanId, start.sampled);
  }

  child(name: string, attributes: SpanAttributes = {}, kind: SpanKind = 'internal'): Span {
    return new RecordingSpan(this.tracer, { traceId: this.start.traceId, parentSpanId: this.spanId, sampled: this.start.sampled, name, kind, attributes });
  }

  set(attributes: SpanAttributes): void {
    Object.assign(this.attributes, attributes);
  }

  fail(message: string): void {
    this.error = message.slice(0, 500);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.start.sampled) return;
    this.tracer.finish({
      traceId: this.start.traceId, spanId: this.spanId, ...(this.start.parentSpanId ? { parentSpanId: this.start.parentSpanId } : {}),
      name: this.start.name, kind: this.start.kind, startNanos: String(this.started), endNanos: String(this.tracer.nanos()),
      attributes: this.attributes, ...(this.error ? { error: this.error } : {}),
    });
  }
}
