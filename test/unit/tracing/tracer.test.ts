// Spans: traceparent parsing and formatting, parent links, sampling by trace id, and that an
// unsampled trace propagates context but exports nothing.
import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from '../../../src/lib/tracing/traceparent.js';
import { Tracer, type FinishedSpan } from '../../../src/lib/tracing/tracer.js';

const collect = (sampleRatio = 1) => {
  const spans: FinishedSpan[] = [];
  let clock = 1_000n;
  const tracer = new Tracer({ sampleRatio, sink: { add: (s) => spans.push(s) }, nowNanos: () => (clock += 1000n) });
  return { tracer, spans };
};

describe('traceparent', () => {
  it('parses a valid header and refuses malformed, all-zero and version ff ones', () => {
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(parseTraceparent(tp)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true });
    expect(parseTraceparent(tp.replace(/-01$/, '-00'))?.sampled).toBe(false);
    for (const bad of ['', 'garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`, tp.replace(/^00/, 'ff'), `${tp}-extra`, 'x'.repeat(10_000)]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
    expect(parseTraceparent(['a', 'b'])).toBeUndefined();
    expect(formatTraceparent('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', true)).toBe(tp);
  });
});

describe('Tracer', () => {
  it('links children to their parent in one trace and continues a caller\'s trace', () => {
    const { tracer, spans } = collect();
    const root = tracer.startSpan('PUT /v2/*', { 'nora.request_id': 'r1' }, 'server', parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'));
    const child = root.child('storage.put', { 'nora.storage.key': 'k' });
    child.fail('disk full');
    child.end();
    child.end();
    root.set({ 'http.response.status_code': 201 });
    root.end();
    expect(spans).toHaveLength(2);
    const [c, r] = spans as [FinishedSpan, FinishedSpan];
    expect(r.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(r.parentSpanId).toBe('00f067aa0ba902b7');
    expect(c.traceId).toBe(r.traceId);
    expect(c.parentSpanId).toBe(r.spanId);
    expect(c.error).toBe('disk full');
    expect(r.attributes).toEqual({ 'nora.request_id': 'r1', 'http.response.status_code': 201 });
    expect(BigInt(r.endNanos)).toBeGreaterThan(BigInt(r.startNanos));
    expect(child.traceparent).toBe(`00-${r.traceId}-${c.spanId}-01`);
  });

  it('samples by trace id under sample_ratio, keeps a parent\'s decision, and exports nothing unsampled', () => {
    const { tracer, spans } = collect(0.25);
    expect(tracer.samples(`${'0'.repeat(18)}${'0'.repeat(14)}`)).toBe(true);
    expect(tracer.samples(`${'0'.repeat(18)}${'f'.repeat(14)}`)).toBe(false);
    const unsampled = tracer.startSpan('GET /x', {}, 'server', parseTraceparent(`00-${'f'.repeat(32)}-00f067aa0ba902b7-00`));
    expect(unsampled.traceparent).toMatch(/-00$/);
    unsampled.child('storage.get').end();
    unsampled.end();
    expect(spans).toHaveLength(0);
    const kept = tracer.startSpan('GET /x', {}, 'server', parseTraceparent(`00-${'f'.repeat(32)}-00f067aa0ba902b7-01`));
    kept.end();
    expect(spans).toHaveLength(1);
    const all = collect(1);
    all.tracer.startSpan('a', {}, 'server').end();
    const none = collect(0);
    none.tracer.startSpan('a', {}, 'server').end();
    expect([all.spans.length, none.spans.length]).toEqual([1, 0]);
  });
});
