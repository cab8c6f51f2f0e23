// OpenTelemetry traces of real `nora serve` processes, recorded by a loopback OTLP receiver: a
// skopeo push gives one server span per request (protocol, repository, status, request id) with
// storage spans under it; a pull through a second NORA used as a docker upstream carries the
// trace over: the edge's upstream client span is the parent of the hub's server span.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { OciLayout } from '../../helpers/oci-layout.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

const LAYER = 'application/vnd.oci.image.layer.v1.tar';
const SERVER = 2;
const CLIENT = 3;
let work: string;
let receiver: OtlpReceiver;
let skopeo: Skopeo;
let untraced: NoraServer;

const tracingToml = (service: string) => `[tracing]\nendpoint = "${receiver.url}"\nservice_name = "${service}"\n`;

async function serve(name: string, toml: string): Promise<NoraServer> {
  const config = path.join(work, `${name}.toml`);
  await writeFile(config, toml);
  return startNora({ args: ['--config', config] });
}

let src: OciLayout;
let pushSpans: ReceivedSpan[] = [];
let pullSpans: ReceivedSpan[] = [];
const REQUEST_ID = 'trace-test-request-1';

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-tracing-'));
  receiver = await startOtlpReceiver();
  skopeo = await makeSkopeo();
  src = new OciLayout(path.join(work, 'src'));
  await src.tag('v1', await src.addImage([await src.addRandomBlob(64 * 1024, LAYER)]));

  const hub = await serve('hub', tracingToml('nora-hub'));
  const edge = await serve('edge', `${tracingToml('nora-edge')}\n[[docker.upstreams]]\nname = "hub"\nurl = "${hub.url}"\nprefix = "hub/"\n`);
  try {
    await skopeo.run('copy', '--dest-tls-verify=false', `oci:${src.dir}:v1`, `docker://${new URL(edge.url).host}/team/app:v1`);
    await skopeo.run('copy', '--dest-tls-verify=false', `oci:${src.dir}:v1`, `docker://${new URL(hub.url).host}/shared/base:v1`);
    const res = await fetch(`${edge.url}/v2/hub/shared/base/manifests/v1`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json', 'x-request-id': REQUEST_ID } });
    expect(res.status).toBe(200);
  } finally {
    // Stopping flushes each exporter's queue.
    await edge.stop();
    await hub.stop();
  }
  const pulled = receiver.spans.find((s) => s.attributes['nora.request_id'] === REQUEST_ID);
  pullSpans = pulled ? receiver.spans.filter((s) => s.traceId === pulled.traceId) : [];
  pushSpans = receiver.spans.filter((s) => s.service === 'nora-edge' && s.traceId !== pulled?.traceId);
  untraced = await serve('untraced', '');
}, 120_000);

afterAll(async () => {
  await untraced?.stop();
  await receiver?.close();
  await skopeo?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('OTLP traces', () => {
  it('a skopeo push gives one server span per request, with protocol, repository, status and request id', () => {
    expect(receiver.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    const servers = pushSpans.filter((s) => s.kind === SERVER);
    const manifestPut = servers.find((s) => s.attributes['http.request.method'] === 'PUT' && String(s.attributes['url.path']).includes('/manifests/v1'));
    expect(manifestPut, JSON.stringify(servers.map((s) => [s.name, s.attributes['url.path']]))).toBeDefined();
    expect(manifestPut!.name).toBe('PUT /v2/*');
    expect(manifestPut!.attributes).toMatchObject({ 'nora.protocol': 'oci', 'nora.repository': 'team/app', 'nora.format': 'oci', 'http.response.status_code': 201, 'http.route': '/v2/*' });
    expect(String(manifestPut!.attributes['nora.request_id'])).toMatch(/^[0-9a-f-]{36}$/);
    expect(manifestPut!.parentSpanId ?? '').toBe('');
    expect(manifestPut!.status.code).toBe(0);
    expect(BigInt(manifestPut!.endTimeUnixNano)).toBeGreaterThan(BigInt(manifestPut!.startTimeUnixNano));
    // Each request is its own trace (skopeo sends no traceparent).
    expect(new Set(servers.map((s) => s.traceId)).size).toBe(servers.length);
    const blobUploads = servers.filter((s) => s.attributes['nora.repository'] === 'team/app' && String(s.attributes['url.path']).includes('/blobs/uploads/'));
    expect(blobUploads.length).toBeGreaterThanOrEqual(2);
  });

  it('storage calls are child spans of their request span', () => {
    const manifestPut = pushSpans.find((s) => s.kind === SERVER && s.attributes['http.request.method'] === 'PUT' && String(s.attributes['url.path']).includes('/manifests/v1'))!;
    const children = pushSpans.filter((s) => s.parentSpanId === manifestPut.spanId);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) {
      expect(child.traceId).toBe(manifestPut.traceId);
      expect(child.name).toMatch(/^storage\.(stat|get|put|move|delete|list)$/);
      expect(child.attributes['nora.storage.backend']).toBe('fs');
    }
    expect(children.some((c) => c.name === 'storage.put' && String(c.attributes['nora.storage.key']).startsWith('repos/oci/team/app/'))).toBe(true);
  });

  it('an upstream request is a client span whose traceparent makes the upstream\'s request span its child', () => {
    const edgeServer = pullSpans.find((s) => s.service === 'nora-edge' && s.kind === SERVER && s.attributes['nora.request_id'] === REQUEST_ID);
    expect(edgeServer, JSON.stringify(pullSpans.map((s) => [s.service, s.name]))).toBeDefined();
    expect(edgeServer!.attributes['nora.repository']).toBe('hub/shared/base');
    const clients = pullSpans.filter((s) => s.service === 'nora-edge' && s.kind === CLIENT);
    expect(clients.length).toBeGreaterThan(0);
    expect(clients.every((c) => c.parentSpanId === edgeServer!.spanId)).toBe(true);
    expect(clients[0]!.attributes['server.address']).toBe('hub');
    const hubServers = pullSpans.filter((s) => s.service === 'nora-hub' && s.kind === SERVER);
    expect(hubServers.length).toBeGreaterThan(0);
    const clientIds = new Set(clients.map((c) => c.spanId));
    for (const h of hubServers) {
      expect(clientIds.has(h.parentSpanId ?? '')).toBe(true);
      expect(h.attributes['nora.repository']).toBe('shared/base');
    }
  });

  it('without [tracing] nothing is sent', async () => {
    const count = receiver.spans.length;
    await fetch(`${untraced.url}/v2/`);
    await untraced.stop();
    expect(receiver.spans.length).toBe(count);
    expect(untraced.logs()).not.toContain('"component":"tracing"');
  });
});
