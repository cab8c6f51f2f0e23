// The span a piece of work runs under, carried by AsyncLocalStorage. The server's tracing hook
// enters a request span only when [tracing] is on; code that makes storage or upstream calls asks
// currentSpan() and, finding none (tracing off, or background work), does nothing extra. This
// file is all that is loaded when tracing is off: the tracer and exporter come in by dynamic import.
import { AsyncLocalStorage } from 'node:async_hooks';

export type SpanKind = 'server' | 'client' | 'internal';
export type SpanAttributes = Record<string, string | number | boolean>;

export interface Span {
  /** W3C traceparent of this span ("00-<trace id>-<span id>-<flags>"), for calls it makes. */
  readonly traceparent: string;
  /** A span under this one (same trace), started now. */
  child(name: string, attributes?: SpanAttributes, kind?: SpanKind): Span;
  set(attributes: SpanAttributes): void;
  /** Marks the span failed (status ERROR) with why. */
  fail(message: string): void;
  /** Ends the span (later calls are ignored); a sampled span is queued for export. */
  end(): void;
}

export const spanContext = new AsyncLocalStorage<Span>();

/** The span of the work running now, if tracing is on and some span was entered. */
export const currentSpan = (): Span | undefined => spanContext.getStore();
