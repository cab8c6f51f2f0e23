// Every mutation is one event and one audit line, whatever path made it: format x path
// (protocol, management API — which `nora tag`/`nora delete` call —, gc, restore). Each row sets
// up what it needs, then performs one operation with its own request id and asserts the exact
// events it published and the audit lines written for them, one each, carrying that request id.
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { MUTATIONS, type MutationType, type PublishedEvent } from '../../../src/lib/events/bus.js';
import { runGc } from '../../../src/lib/ops/gc.js';
import { writeBackup } from '../../../src/lib/ops/backup.js';
import { restoreBackup } from '../../../src/lib/ops/restore.js';
import { migrateStore } from '../../../src/lib/ops/migrate.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { digestOf, injectHttp, OCI_MANIFEST, pushBlob, pushImage } from '../../helpers/oci-client.js';
import { publishBody } from '../../helpers/npm-fixtures.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { sdist, twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';

let apps: TestApp[] = [];
afterEach(async () => { for (const app of apps) await app.close(); apps = []; });
const start = async () => {
  const app = await buildTestApp({ settings: { 'npm.upstream': '' } });
  apps.push(app);
  return app;
};

type Expected = { type: string; name: string; reference?: string };
interface Row {
  format: 'oci' | 'npm' | 'maven' | 'cargo' | 'pypi';
  path: 'protocol' | 'api' | 'gc' | 'restore' | 'migrate';
  what: string;
  setup?: (t: TestApp) => Promise<Record<string, string>>;
  /** The operation under test; `rid` is its request id (protocol and API rows send it). */
  act: (t: TestApp, rid: string, ctx: Record<string, string>, watch: (app: TestApp) => void) => Promise<{ status?: number; t?: TestApp }>;
  events: (ctx: Record<string, string>) => Expected[];
  /** Operator runs have no request. */
  noRequest?: boolean;
}

const req = (t: TestApp, rid: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: method as 'GET', url, headers: { 'x-request-id': rid, ...headers }, ...(payload === undefined ? {} : { payload: payload as string }) });
const image = async (t: TestApp, name = 'team/app', tag = '1.0') => pushImage(injectHttp(t.app), name, tag);
const publish = async (t: TestApp, version = '1.0.0', name = 'tool') => {
  const r = await t.app.inject({ method: 'PUT', url: `/npm/${name}`, payload: publishBody(name, { version }) });
  expect(r.statusCode, r.body).toBe(201);
};
const crate = async (t: TestApp, version = '1.0.0', name = 'demo') => {
  const r = await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload: frame(publishMetadata(name, version), fakeCrate(name, version)) });
  expect(r.statusCode, r.body).toBe(200);
};
/** twine's upload of a wheel (or sdist) of `name` `version`; `rid` marks the operation under test. */
const twine = async (t: TestApp, version = '1.0', kind: 'wheel' | 'sdist' = 'wheel', rid?: string, name = 'Nora_Demo') => {
  const dist = kind === 'wheel' ? wheel({ name, version }) : sdist({ name, version });
  const { body, contentType } = uploadForm(twineFields({ name, version }, dist), dist);
  const r = await t.app.inject({ method: 'POST', url: '/pypi/', payload: body, headers: { 'content-type': contentType, ...(rid ? { 'x-request-id': rid } : {}) } });
  if (!rid) expect(r.statusCode, r.body).toBe(200);
  return { status: r.statusCode, filename: dist.filename };
};

/** A PUT under /maven2/org/example/app/ (setup: no request id, must succeed). */
const mvnPut = async (t: TestApp, file: string, rid?: string, body = 'jar bytes') => {
  const r = await t.app.inject({ method: 'PUT', url: `/maven2/org/example/app/${file}`, payload: body, headers: { 'content-type': 'application/octet-stream', ...(rid ? { 'x-request-id': rid } : {}) } });
  if (!rid) expect(r.statusCode, r.body).toBe(201);
  return r;
};

/** The packument as `npm deprecate` sends it back: every version, `deprecated` set per `messages`. */
const packument = async (t: TestApp) => (await t.app.inject({ url: '/npm/tool' })).json<{ versions: Record<string, Record<string, unknown>> }>();
const deprecation = (doc: { versions: Record<string, Record<string, unknown>> }, messages: Record<string, string>) => {
  for (const [version, message] of Object.entries(messages)) doc.versions[version]!.deprecated = message;
  return JSON.stringify(doc);
};
/** A group-level maven-metadata.xml naming plugin `artifactId` with prefix `prefix`. */
const pluginMetadata = (prefix: string, artifactId = 'app') =>
  `<metadata><plugins><plugin><name>App plugin</name><prefix>${prefix}</prefix><artifactId>${artifactId}</artifactId></plugin></plugins></metadata>`;

const rows: Row[] = [
  // OCI over /v2/
  { format: 'oci', path: 'protocol', what: 'blob push',
    act: async (t, rid) => ({ status: (await req(t, rid, 'POST', `/v2/team/app/blobs/uploads/?digest=${digestOf('bytes')}`, 'bytes', { 'content-type': 'application/octet-stream' })).statusCode }),
    events: () => [{ type: 'ArtifactPushed', name: 'team/app' }] },
  { format: 'oci', path: 'protocol', what: 'manifest push by tag (push + tag)',
    setup: async (t) => {
      const http = injectHttp(t.app);
      const config = await pushBlob(http, 'team/app', '{}');
      const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 2 }, layers: [] });
      return { manifest };
    },
    act: async (t, rid, ctx) => ({ status: (await req(t, rid, 'PUT', '/v2/team/app/manifests/2.0', ctx.manifest, { 'content-type': OCI_MANIFEST })).statusCode }),
    events: () => [{ type: 'ArtifactPushed', name: 'team/app', reference: '2.0' }, { type: 'TagCreated', name: 'team/app', reference: '2.0' }] },
  { format: 'oci', path: 'protocol', what: 'tag delete',
    setup: async (t) => ({ digest: (await image(t)).digest }),
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/v2/team/app/manifests/1.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'team/app', reference: '1.0' }] },
  { format: 'oci', path: 'protocol', what: 'manifest delete by digest (its tags go with it)',
    setup: async (t) => ({ digest: (await image(t)).digest }),
    act: async (t, rid, ctx) => ({ status: (await req(t, rid, 'DELETE', `/v2/team/app/manifests/${ctx.digest}`)).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'team/app' }] },
  { format: 'oci', path: 'protocol', what: 'blob delete',
    setup: async (t) => ({ layer: (await image(t)).layers[0]! }),
    act: async (t, rid, ctx) => ({ status: (await req(t, rid, 'DELETE', `/v2/team/app/blobs/${ctx.layer}`)).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'team/app' }] },
  // OCI over /api/ (nora tag, nora delete)
  { format: 'oci', path: 'api', what: 'tag into another repository',
    setup: async (t) => ({ digest: (await image(t)).digest }),
    act: async (t, rid) => ({ status: (await req(t, rid, 'POST', '/api/tags', { source: 'team/app:1.0', target: 'release/app:stable' })).statusCode }),
    events: () => [{ type: 'TagCreated', name: 'release/app', reference: 'stable' }] },
  { format: 'oci', path: 'api', what: 'tag delete',
    setup: async (t) => ({ digest: (await image(t)).digest }),
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/api/artifacts?ref=team/app:1.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'team/app', reference: '1.0' }] },
  { format: 'oci', path: 'api', what: 'manifest delete by digest',
    setup: async (t) => ({ digest: (await image(t)).digest }),
    act: async (t, rid, ctx) => ({ status: (await req(t, rid, 'DELETE', `/api/artifacts?ref=${encodeURIComponent(`team/app@${ctx.digest}`)}`)).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'team/app' }] },
  // OCI gc: the deleted image's blob links go, one event each
  { format: 'oci', path: 'gc', what: 'stale blob links removed', noRequest: true,
    setup: async (t) => {
      const pushed = await image(t);
      expect((await t.app.inject({ method: 'DELETE', url: `/v2/team/app/manifests/${pushed.digest}` })).statusCode).toBe(202);
      return {};
    },
    // A negative grace puts the cutoff after every write, whatever the clock's resolution.
    act: async (t) => { await runGc(t.services.store, t.services.blobs, { formats: t.services.formats, graceMs: -60_000, uploadTtlMs: 60_000 }); return {}; },
    events: () => [{ type: 'ArtifactDeleted', name: 'team/app' }, { type: 'ArtifactDeleted', name: 'team/app' }] },
  // npm over /npm/
  { format: 'npm', path: 'protocol', what: 'publish (push + latest tag)',
    act: async (t, rid) => ({ status: (await req(t, rid, 'PUT', '/npm/tool', publishBody('tool'))).statusCode }),
    events: () => [{ type: 'ArtifactPushed', name: 'tool', reference: '1.0.0' }, { type: 'TagCreated', name: 'tool', reference: 'latest' }] },
  { format: 'npm', path: 'protocol', what: 'dist-tag add',
    setup: async (t) => { await publish(t); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'PUT', '/npm/-/package/tool/dist-tags/beta', '"1.0.0"', { 'content-type': 'application/json' })).statusCode }),
    events: () => [{ type: 'TagCreated', name: 'tool', reference: 'beta' }] },
  { format: 'npm', path: 'protocol', what: 'dist-tag rm',
    setup: async (t) => {
      await publish(t);
      await t.app.inject({ method: 'PUT', url: '/npm/-/package/tool/dist-tags/beta', headers: { 'content-type': 'application/json' }, payload: '"1.0.0"' });
      return {};
    },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/npm/-/package/tool/dist-tags/beta')).statusCode }),
    events: () => [{ type: 'TagDeleted', name: 'tool', reference: 'beta' }] },
  { format: 'npm', path: 'protocol', what: 'unpublish one version (edited packument)',
    setup: async (t) => {
      await publish(t, '1.0.0');
      await publish(t, '1.1.0');
      const packument = (await t.app.inject({ url: '/npm/tool' })).json();
      delete packument.versions['1.1.0'];
      packument['dist-tags'] = {};
      return { body: JSON.stringify(packument), rev: packument._rev };
    },
    act: async (t, rid, ctx) => ({ status: (await req(t, rid, 'PUT', `/npm/tool/-rev/${ctx.rev}`, ctx.body, { 'content-type': 'application/json' })).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'tool', reference: '1.1.0' }] },
  { format: 'npm', path: 'protocol', what: 'unpublish the package',
    setup: async (t) => { await publish(t); return { rev: (await t.app.inject({ url: '/npm/tool' })).json()._rev }; },
    act: async (t, rid, ctx) => ({ status: (await req(t, rid, 'DELETE', `/npm/tool/-rev/${ctx.rev}`)).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'tool' }] },
  // npm deprecate / un-deprecate: the edited packument `npm deprecate` sends (PUT with its _rev)
  { format: 'npm', path: 'protocol', what: 'deprecate a version',
    setup: async (t) => { await publish(t, '1.0.0'); await publish(t, '1.1.0'); return { body: deprecation(await packument(t), { '1.0.0': 'use 1.1' }) }; },
    act: async (t, rid, ctx) => ({ status: (await req(t, rid, 'PUT', '/npm/tool', ctx.body, { 'content-type': 'application/json' })).statusCode }),
    events: () => [{ type: 'ArtifactDeprecated', name: 'tool', reference: '1.0.0' }] },
  { format: 'npm', path: 'protocol', what: 'un-deprecate a version (the other stays deprecated: no event for it)',
    setup: async (t) => {
      await publish(t, '1.0.0'); await publish(t, '1.1.0');
      const first = await t.app.inject({ method: 'PUT', url: '/npm/tool', headers: { 'content-type': 'application/json' }, payload: deprecation(await packument(t), { '1.0.0': 'old', '1.1.0': 'old too' }) });
      expect(first.statusCode, first.body).toBeLessThan(300);
      return { body: deprecation(await packument(t), { '1.0.0': '', '1.1.0': 'old too' }) };
    },
    act: async (t, rid, ctx) => ({ status: (await req(t, rid, 'PUT', '/npm/tool', ctx.body, { 'content-type': 'application/json' })).statusCode }),
    events: () => [{ type: 'ArtifactUndeprecated', name: 'tool', reference: '1.0.0' }] },
  // npm over /api/ (nora delete)
  { format: 'npm', path: 'api', what: 'version delete',
    setup: async (t) => { await publish(t, '1.0.0'); await publish(t, '1.1.0'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/api/artifacts?ref=npm:tool@1.0.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'tool', reference: '1.0.0' }] },
  // Maven over /maven2/: events name the artifact as access rules do (org/example/app), on every path
  { format: 'maven', path: 'protocol', what: 'deploy a release file',
    act: async (t, rid) => ({ status: (await mvnPut(t, '1.0/app-1.0.jar', rid)).statusCode }),
    events: () => [{ type: 'ArtifactPushed', name: 'org/example/app', reference: '1.0/app-1.0.jar' }] },
  { format: 'maven', path: 'protocol', what: 'deploy a SNAPSHOT build',
    act: async (t, rid) => ({ status: (await mvnPut(t, '1.1-SNAPSHOT/app-1.1-20260101.000000-1.jar', rid)).statusCode }),
    events: () => [{ type: 'ArtifactPushed', name: 'org/example/app', reference: '1.1-SNAPSHOT/app-1.1-20260101.000000-1.jar' }] },
  { format: 'maven', path: 'protocol', what: 'checksum and client metadata uploads (no artifact changes)',
    setup: async (t) => { await mvnPut(t, '1.0/app-1.0.jar'); return {}; },
    act: async (t, rid) => {
      expect((await mvnPut(t, '1.0/app-1.0.jar.sha1', rid, createHash('sha1').update('jar bytes').digest('hex'))).statusCode).toBe(201);
      return { status: (await mvnPut(t, 'maven-metadata.xml', rid, '<metadata/>')).statusCode };
    },
    events: () => [] },
  // The group's maven-metadata.xml a plugin deploy uploads: a prefix decides what `mvn app:goal` runs
  { format: 'maven', path: 'protocol', what: 'plugin prefix recorded from group metadata',
    setup: async (t) => { await mvnPut(t, '1.0/app-1.0.jar'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'PUT', '/maven2/org/example/maven-metadata.xml', pluginMetadata('app'), { 'content-type': 'application/xml' })).statusCode }),
    events: () => [{ type: 'PluginPrefixSet', name: 'org/example/app', reference: 'app' }] },
  { format: 'maven', path: 'protocol', what: 'group metadata re-sent unchanged (no event)',
    setup: async (t) => {
      await mvnPut(t, '1.0/app-1.0.jar');
      expect((await t.app.inject({ method: 'PUT', url: '/maven2/org/example/maven-metadata.xml', payload: pluginMetadata('app') })).statusCode).toBe(201);
      return {};
    },
    act: async (t, rid) => ({ status: (await req(t, rid, 'PUT', '/maven2/org/example/maven-metadata.xml', pluginMetadata('app'), { 'content-type': 'application/xml' })).statusCode }),
    events: () => [] },
  { format: 'maven', path: 'protocol', what: 'release version delete',
    setup: async (t) => { await mvnPut(t, '1.0/app-1.0.jar'); await mvnPut(t, '1.0/app-1.0.pom'); await mvnPut(t, '2.0/app-2.0.jar'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/maven2/org/example/app/1.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'org/example/app', reference: '1.0' }] },
  { format: 'maven', path: 'protocol', what: 'SNAPSHOT version delete (every build)',
    setup: async (t) => { await mvnPut(t, '1.1-SNAPSHOT/app-1.1-20260101.000000-1.jar'); await mvnPut(t, '1.1-SNAPSHOT/app-1.1-20260102.000000-2.jar'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/maven2/org/example/app/1.1-SNAPSHOT/')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'org/example/app', reference: '1.1-SNAPSHOT' }] },
  // Maven over /api/ (nora delete)
  { format: 'maven', path: 'api', what: 'version delete',
    setup: async (t) => { await mvnPut(t, '1.0/app-1.0.jar'); await mvnPut(t, '2.0/app-2.0.jar'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/api/artifacts?ref=maven:org.example:app@1.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'org/example/app', reference: '1.0' }] },
  // Maven gc: a deleted version's blobs go, no Maven metadata changes
  { format: 'maven', path: 'gc', what: 'blobs of a deleted version freed (no metadata changes)', noRequest: true,
    setup: async (t) => {
      await mvnPut(t, '1.0/app-1.0.jar');
      expect((await t.app.inject({ method: 'DELETE', url: '/maven2/org/example/app/1.0' })).statusCode).toBe(200);
      return {};
    },
    act: async (t) => {
      const report = await runGc(t.services.store, t.services.blobs, { formats: t.services.formats, graceMs: -60_000, uploadTtlMs: 60_000 });
      expect(report.blobsFreed).toBe(1);
      return {};
    },
    events: () => [] },
  // cargo over /cargo/ (cargo publish, yank, owner)
  { format: 'cargo', path: 'protocol', what: 'publish',
    act: async (t, rid) => ({ status: (await req(t, rid, 'PUT', '/cargo/api/v1/crates/new', frame(publishMetadata('demo', '1.0.0'), fakeCrate('demo', '1.0.0')))).statusCode }),
    events: () => [{ type: 'ArtifactPushed', name: 'demo', reference: '1.0.0' }] },
  { format: 'cargo', path: 'protocol', what: 'yank',
    setup: async (t) => { await crate(t); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/cargo/api/v1/crates/demo/1.0.0/yank')).statusCode }),
    events: () => [{ type: 'ArtifactYanked', name: 'demo', reference: '1.0.0' }] },
  { format: 'cargo', path: 'protocol', what: 'unyank',
    setup: async (t) => { await crate(t); await t.app.inject({ method: 'DELETE', url: '/cargo/api/v1/crates/demo/1.0.0/yank' }); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'PUT', '/cargo/api/v1/crates/demo/1.0.0/unyank')).statusCode }),
    events: () => [{ type: 'ArtifactUnyanked', name: 'demo', reference: '1.0.0' }] },
  { format: 'cargo', path: 'protocol', what: 'owner add',
    setup: async (t) => { await crate(t); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'PUT', '/cargo/api/v1/crates/demo/owners', '{"users":["alice","bob"]}')).statusCode }),
    events: () => [{ type: 'OwnersChanged', name: 'demo' }] },
  { format: 'cargo', path: 'protocol', what: 'owner remove',
    setup: async (t) => { await crate(t); await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/demo/owners', payload: '{"users":["alice"]}' }); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/cargo/api/v1/crates/demo/owners', '{"users":["alice"]}')).statusCode }),
    events: () => [{ type: 'OwnersChanged', name: 'demo' }] },
  // cargo over /api/ (nora delete): an admin delete, not a yank
  { format: 'cargo', path: 'api', what: 'version delete',
    setup: async (t) => { await crate(t, '1.0.0'); await crate(t, '1.1.0'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/api/artifacts?ref=cargo:demo@1.1.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'demo', reference: '1.1.0' }] },
  { format: 'cargo', path: 'api', what: 'last version delete (the name goes), spelled another way',
    setup: async (t) => { await crate(t, '1.0.0', 'My_Crate'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/api/artifacts?ref=cargo:my-crate@1.0.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'My_Crate', reference: '1.0.0' }] },
  // cargo gc: the deleted version's .crate is freed; no cargo metadata changes, so no event
  { format: 'cargo', path: 'gc', what: 'orphaned .crate freed', noRequest: true,
    setup: async (t) => { await crate(t); expect((await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=cargo:demo@1.0.0' })).statusCode).toBe(200); return {}; },
    act: async (t) => {
      const report = await runGc(t.services.store, t.services.blobs, { formats: t.services.formats, graceMs: -60_000, uploadTtlMs: 60_000 });
      expect(report.blobsFreed).toBe(1);
      return {};
    },
    events: () => [] },
  // PyPI over /pypi/ (twine): names are PEP 503-normalized on every path
  { format: 'pypi', path: 'protocol', what: 'upload a wheel',
    act: async (t, rid) => ({ status: (await twine(t, '1.0', 'wheel', rid)).status }),
    events: () => [{ type: 'ArtifactPushed', name: 'nora-demo', reference: 'Nora_Demo-1.0-py3-none-any.whl' }] },
  { format: 'pypi', path: 'protocol', what: 'upload an sdist to an existing release',
    setup: async (t) => { await twine(t, '1.0', 'wheel'); return {}; },
    act: async (t, rid) => ({ status: (await twine(t, '1.0', 'sdist', rid)).status }),
    events: () => [{ type: 'ArtifactPushed', name: 'nora-demo', reference: 'nora_demo-1.0.tar.gz' }] },
  // PyPI over /api/ (nora delete): a release (found by PEP 440 equality) with all its files, or one file
  { format: 'pypi', path: 'api', what: 'release delete (wheel and sdist), name spelled another way',
    setup: async (t) => { await twine(t, '1.0', 'wheel'); await twine(t, '1.0', 'sdist'); await twine(t, '2.0'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/api/artifacts?ref=pypi:Nora_Demo@1.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'nora-demo', reference: '1.0' }] },
  { format: 'pypi', path: 'api', what: 'release delete spelled another way (1.0 is 1.0.0)',
    setup: async (t) => { await twine(t, '1.0.0', 'wheel'); await twine(t, '1.0.0', 'sdist'); await twine(t, '2.0'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/api/artifacts?ref=pypi:nora-demo@1.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'nora-demo', reference: '1.0.0' }] },
  { format: 'pypi', path: 'api', what: 'file delete',
    setup: async (t) => { await twine(t, '1.0', 'wheel'); await twine(t, '1.0', 'sdist'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/api/artifacts?ref=pypi:nora-demo@nora_demo-1.0.tar.gz')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'nora-demo', reference: 'nora_demo-1.0.tar.gz' }] },
  { format: 'pypi', path: 'api', what: 'last release delete (the project goes)',
    setup: async (t) => { await twine(t, '1.0'); return {}; },
    act: async (t, rid) => ({ status: (await req(t, rid, 'DELETE', '/api/artifacts?ref=pypi:nora-demo@1.0')).statusCode }),
    events: () => [{ type: 'ArtifactDeleted', name: 'nora-demo', reference: '1.0' }] },
  // PyPI gc: a deleted release's wheel and core metadata are freed; no PyPI metadata changes
  { format: 'pypi', path: 'gc', what: 'files of a deleted release freed (no metadata changes)', noRequest: true,
    setup: async (t) => { await twine(t, '1.0'); expect((await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=pypi:nora-demo@1.0' })).statusCode).toBe(200); return {}; },
    act: async (t) => {
      const report = await runGc(t.services.store, t.services.blobs, { formats: t.services.formats, graceMs: -60_000, uploadTtlMs: 60_000 });
      expect(report.blobsFreed).toBe(2);
      return {};
    },
    events: () => [] },
];

// restore and migrate: every version the archive holds, or the copy adds, is announced once
const restored = { oci: { name: 'team/app', reference: '1.0' }, npm: { name: 'tool', reference: '1.0.0' }, maven: { name: 'org/example/app', reference: '1.0' }, cargo: { name: 'demo', reference: '1.0.0' }, pypi: { name: 'nora-demo', reference: '1.0' } };
for (const format of ['oci', 'npm', 'maven', 'cargo', 'pypi'] as const) {
  rows.push({
    format, path: 'restore', what: 'restored versions', noRequest: true,
    setup: async (t) => {
      if (format === 'oci') await image(t);
      else if (format === 'npm') await publish(t);
      else if (format === 'maven') await mvnPut(t, '1.0/app-1.0.jar');
      else if (format === 'pypi') { await twine(t, '1.0', 'wheel'); await twine(t, '1.0', 'sdist'); }
      else await crate(t);
      return {};
    },
    act: async (t, _rid, _ctx, watch) => {
      const archive = new PassThrough();
      const chunks: Buffer[] = [];
      archive.on('data', (c: Buffer) => chunks.push(c));
      await writeBackup(t.services.store, t.services.blobs, archive);
      const target = await start();
      watch(target);
      await restoreBackup(target.services.store, target.services.blobs, Readable.from([Buffer.concat(chunks)]), { announce: { formats: target.services.formats, events: target.services.events } });
      return { t: target };
    },
    events: () => [{ type: 'ArtifactPushed', ...restored[format] }],
  });
  // `nora migrate` into another store: the target's bus (and so its audit log) hears of each
  // version copied; a second, resumed run copies nothing and announces nothing.
  const migrated = async (t: TestApp, watch: (app: TestApp) => void, rerun: boolean) => {
    const target = await start();
    const announce = { formats: target.services.formats, events: target.services.events };
    if (rerun) expect((await migrateStore(t.services.store, target.services.store, { announce })).announced).toBe(1);
    watch(target);
    const report = await migrateStore(t.services.store, target.services.store, { announce });
    expect(report.failed).toEqual([]);
    expect(report.announced).toBe(rerun ? 0 : 1);
    return { t: target };
  };
  const seed = async (t: TestApp) => {
    if (format === 'oci') await image(t);
    else if (format === 'npm') await publish(t);
    else if (format === 'maven') await mvnPut(t, '1.0/app-1.0.jar');
    else if (format === 'pypi') { await twine(t, '1.0', 'wheel'); await twine(t, '1.0', 'sdist'); }
    else await crate(t);
    return {};
  };
  rows.push({
    format, path: 'migrate', what: 'copied versions', noRequest: true, setup: seed,
    act: async (t, _rid, _ctx, watch) => migrated(t, watch, false),
    events: () => [{ type: 'ArtifactPushed', ...restored[format] }],
  });
  rows.push({
    format, path: 'migrate', what: 'resumed run with nothing left to copy', noRequest: true, setup: seed,
    act: async (t, _rid, _ctx, watch) => migrated(t, watch, true),
    events: () => [],
  });
}

describe.each(rows)('$format $path: $what', (row) => {
  it('publishes exactly its events, and one audit line each', async () => {
    const t = await start();
    const ctx = (await row.setup?.(t)) ?? {};
    const seen: PublishedEvent[] = [];
    const auditFrom = new Map<TestApp, number>();
    const watch = (app: TestApp) => {
      app.services.events.subscribe((e) => { if (e.type !== 'ArtifactPulled') seen.push(e); });
      auditFrom.set(app, app.services.audit.recent.length);
    };
    watch(t);
    const rid = `matrix-${row.format}-${row.path}-${rows.indexOf(row)}`;
    const done = await row.act(t, rid, ctx, watch);
    if (done.status !== undefined) expect(done.status).toBeLessThan(300);
    // Restore publishes on the bus of the store it restored into.
    const target = done.t ?? t;
    const lines = target.services.audit.recent.slice(auditFrom.get(target));
    const expected = row.events(ctx);
    expect(seen.map((e) => ({ type: e.type, name: e.artifact.name, ...(e.artifact.reference ? { reference: e.artifact.reference } : {}) }))).toEqual(expected);
    for (const e of seen) {
      expect(e.artifact.format).toBe(row.format);
      expect(e.at).toBeInstanceOf(Date);
      expect(e.requestId).toBe(row.noRequest ? undefined : rid);
    }
    expect(lines.map((l) => ({ action: l.action, resource: l.resource, ...(l.reference ? { reference: l.reference } : {}) })))
      .toEqual(expected.map((e) => ({ action: MUTATIONS[e.type as MutationType], resource: `${row.format}:${e.name}`, ...(e.reference ? { reference: e.reference } : {}) })));
    for (const line of lines) {
      expect(line.request_id).toBe(row.noRequest ? undefined : rid);
      expect(line.outcome).toBe('ok');
    }
  });
});
