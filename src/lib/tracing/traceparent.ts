// W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header):
// "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>". A malformed or all-zero header is
// ignored (the request starts a new trace), as the spec asks.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface ParentContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

export function parseTraceparent(header: string | string[] | undefined): ParentContext | undefined {
  if (typeof header !== 'string' || header.length > 128) return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}
