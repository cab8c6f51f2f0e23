// Retention over every format in one server (in process, memory store, a clock moved ahead instead
// of waiting): what the rules keep is what each protocol serves afterwards; the dry run equals the
// real run; pushes between planning and deleting lose nothing the rules keep; /api/retention.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { fetchHttp, pushImage, OCI_INDEX, type Http } from '../../helpers/oci-client.js';
import { publish } from '../../helpers/npm-http.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';
import { eventually } from '../../helpers/eventually.js';
import { compileRules, type RetentionRule } from '../../../src/lib/ops/retention/rules.js';
import { runRetention } from '../../../src/lib/ops/retention/run.js';
import { executePlan } from '../../../src/lib/ops/retention/execute.js';

const DAY = 86_400_000;
const later = (days: number) => () => Date.now() + days * DAY;
const rule = (index: number, match: string, fields: Partial<RetentionRule> = {}): RetentionRule => ({ index, match, protect: [], allowEmpty: false, action: 'yank', ...fields });

let t: TestApp;
let base: string;
let http: Http;

beforeEach(async () => {
  t = await buildTestApp({ settings: { 'npm.upstream': '' } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  http = fetchHttp(base);
});
afterEach(async () => { await t.close(); });

const ok = async (response: Response, what: string) => expect(response.status, `${what}: ${await response.clone().text()}`).toBeLessThan(300);

async function publishEverything(): Promise<{ referrer: string; orphan: string; index: string; untagged: string[] }> {
  const untagged: string[] = [];
  for (const tag of ['a', 'b', 'c']) untagged.push((await pushImage(http, 'img', tag, { layers: [`img ${tag}`] })).digest);
  const a = await pushImage(http, 'img', 'a', { layers: ['img a'] });
  const sig = await pushImage(http, 'img', `sha256-${a.digest.slice(7)}.sig.tmp`, { layers: ['signature'], artifactType: 'application/vnd.example.sig', subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: a.digest, size: a.manifest.length } });
  await http('DELETE', `/v2/img/manifests/sha256-${a.digest.slice(7)}.sig.tmp`);
  const orphan = await pushImage(http, 'img', 'orphan', { layers: ['orphan layer'] });
  await fetch(`${base}/api/artifacts?ref=${encodeURIComponent('img:orphan')}`, { method: 'DELETE' });
  // An index whose platforms are untagged: they stay while the index is kept.
  const amd = await pushImage(http, 'img', 'amd64-tmp', { layers: ['amd64'] });
  await http('DELETE', '/v2/img/manifests/amd64-tmp');
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: amd.digest, size: amd.manifest.length, platform: { os: 'linux', architecture: 'amd64' } }] }));
  expect((await http('PUT', '/v2/img/manifests/multi', { body: index, headers: { 'content-type': OCI_INDEX } })).status).toBe(201);

  await ok(await publish(base, 'pkg', { version: '1.0.0' }), 'npm');
  await ok(await publish(base, 'pkg', { version: '1.0.1', tag: 'beta' }), 'npm');
  for (const version of ['1.0.2', '1.0.3']) await ok(await publish(base, 'pkg', { version }), 'npm');

  for (const version of ['1.0', '1.1', '1.2']) await ok(await fetch(`${base}/maven2/org/example/app/${version}/app-${version}.jar`, { method: 'PUT', body: `jar ${version}` }), 'maven');
  for (const build of ['20260101.000000-1', '20260102.000000-2', '20260103.000000-3']) {
    await ok(await fetch(`${base}/maven2/org/example/app/2.0-SNAPSHOT/app-2.0-${build}.jar`, { method: 'PUT', body: `snapshot ${build}` }), 'maven snapshot');
  }

  for (const version of ['0.1.0', '0.2.0', '0.3.0']) {
    await ok(await fetch(`${base}/cargo/api/v1/crates/new`, { method: 'PUT', body: frame(publishMetadata('kr', version), fakeCrate('kr', version)) }), 'cargo');
  }
  for (const version of ['1.0', '2.0', '3.0']) {
    const dist = wheel({ name: 'proj', version });
    const { body, contentType } = uploadForm(twineFields({ name: 'proj', version }, dist), dist);
    await ok(await fetch(`${base}/pypi/`, { method: 'POST', body, headers: { 'content-type': contentType } }), 'pypi');
  }
  return { referrer: sig.digest, orphan: orphan.digest, index: digestOfBuffer(index), untagged: untagged.slice(1) };
}

const digestOfBuffer = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

const RULES = compileRules([
  // "multi" is protected (it takes no place in keep_last) and "a" is the newest other; b and c go, and their manifests with them.
  rule(0, 'img/*', { keepLast: 1, protect: ['multi'], untaggedOlderThanMs: DAY }),
  rule(1, '**/*', { keepLast: 1 }),
]);

describe('retention over every format', () => {
  it('keeps what the rules keep in every protocol; the dry run equals the real run', async () => {
    const { referrer, orphan, index, untagged } = await publishEverything();
    const dry = await runRetention({ formats: t.services.formats, rules: RULES, dryRun: true, now: later(2) });
    const real = await runRetention({ formats: t.services.formats, rules: RULES, now: later(2) });
    expect(real.decisions).toEqual(dry.decisions);
    expect(real).toMatchObject({ phase: 'done', deleted: dry.decisions.length, skipped: [], failed: [] });
    expect(dry.decisions.map((d) => `${d.format} ${d.kind} ${d.name} ${d.build ? `${d.reference}#${d.build}` : d.reference} ${d.action}`).sort()).toEqual([
      'cargo version kr 0.1.0 yank', 'cargo version kr 0.2.0 yank',
      'maven build org.example:app 2.0-SNAPSHOT#20260101.000000-1 delete', 'maven build org.example:app 2.0-SNAPSHOT#20260102.000000-2 delete',
      'maven version org.example:app 1.0 delete', 'maven version org.example:app 1.1 delete',
      'npm version pkg 1.0.0 delete', 'npm version pkg 1.0.2 delete',
      `oci manifest img ${orphan} delete`, `oci manifest img ${untagged[0]} delete`, `oci manifest img ${untagged[1]} delete`,
      'oci tag img b delete', 'oci tag img c delete',
      'pypi version proj 1.0 delete', 'pypi version proj 2.0 delete',
    ].sort());
    expect(dry.bytes).toBeGreaterThan(0);

    // OCI: a kept, its signature (referrer of a kept subject) and the index with its platform.
    const tags = JSON.parse((await http('GET', '/v2/img/tags/list')).body.toString()) as { tags: string[] };
    expect(tags.tags.sort()).toEqual(['a', 'multi']);
    expect((await http('GET', `/v2/img/manifests/${referrer}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).status).toBe(200);
    expect((await http('GET', `/v2/img/manifests/${orphan}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).status).toBe(404);
    expect((await http('GET', `/v2/img/manifests/${index}`, { headers: { accept: OCI_INDEX } })).status).toBe(200);
    // npm: the dist-tagged 1.0.1 and latest 1.0.3.
    const packument = await (await fetch(`${base}/npm/pkg`)).json() as { versions: Record<string, unknown>; 'dist-tags': Record<string, string> };
    expect(Object.keys(packument.versions).sort()).toEqual(['1.0.1', '1.0.3']);
    // Maven: the newest release, and the SNAPSHOT's newest build in its metadata.
    const meta = await (await fetch(`${base}/maven2/org/example/app/maven-metadata.xml`)).text();
    expect([...meta.matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1])).toEqual(['1.2', '2.0-SNAPSHOT']);
    const snap = await (await fetch(`${base}/maven2/org/example/app/2.0-SNAPSHOT/maven-metadata.xml`)).text();
    expect(snap).toContain('<buildNumber>3</buildNumber>');
    expect((await fetch(`${base}/maven2/org/example/app/2.0-SNAPSHOT/app-2.0-20260101.000000-1.jar`)).status).toBe(404);
    // Cargo: yanked in the index, still downloadable (lockfiles keep working).
    const index_ = (await (await fetch(`${base}/cargo/index/2/kr`)).text()).trim().split('\n').map((l) => JSON.parse(l) as { vers: string; yanked: boolean });
    expect(index_.map((l) => [l.vers, l.yanked])).toEqual([['0.1.0', true], ['0.2.0', true], ['0.3.0', false]]);
    expect((await fetch(`${base}/cargo/api/v1/crates/kr/0.1.0/download`)).status).toBe(200);
    // PyPI: only the newest release's files.
    const simple = await (await fetch(`${base}/simple/proj/`)).text();
    expect(new Set([...simple.matchAll(/proj-([\d.]+)-py3/g)].map((m) => m[1]))).toEqual(new Set(['3.0']));

    // A second pass finds nothing more (yanked crates are done with).
    expect((await runRetention({ formats: t.services.formats, rules: RULES, now: later(2) })).decisions).toEqual([]);
  });

  it('pushes between planning and deleting lose nothing the rules keep', async () => {
    for (const tag of ['x1', 'x2', 'x3']) await pushImage(http, 'race', tag, { layers: [`race ${tag}`] });
    for (const version of ['1.0.0', '1.0.1', '1.0.2']) await ok(await publish(base, 'racer', { version }), 'npm');
    const rules = compileRules([rule(0, '**/*', { keepLast: 1 })]);
    const plan = await runRetention({ formats: t.services.formats, rules, dryRun: true });
    expect(plan.decisions.map((d) => d.reference).sort()).toEqual(['1.0.0', '1.0.1', 'x1', 'x2']);
    // Meanwhile: x1 is pushed again (a new image), 1.0.0 gets a dist-tag, new tags and versions arrive.
    await pushImage(http, 'race', 'x1', { layers: ['race x1 again'] });
    await ok(await fetch(`${base}/npm/-/package/racer/dist-tags/stable`, { method: 'PUT', body: JSON.stringify('1.0.0'), headers: { 'content-type': 'application/json' } }), 'dist-tag');
    await pushImage(http, 'race', 'x4', { layers: ['race x4'] });
    await ok(await publish(base, 'racer', { version: '1.0.3' }), 'npm');

    const outcome = await executePlan(t.services.formats, plan.decisions);
    expect(outcome.deleted.map((d) => d.reference).sort()).toEqual(['1.0.1', 'x2']);
    expect(outcome.skipped.map((s) => `${s.decision.reference}: ${s.why}`).sort()).toEqual(['1.0.0: dist-tag stable since planned', expect.stringMatching(/^x1: pushed again since planned \(now sha256:/)]);
    const tags = JSON.parse((await http('GET', '/v2/race/tags/list')).body.toString()) as { tags: string[] };
    expect(tags.tags.sort()).toEqual(['x1', 'x3', 'x4']);
    const packument = await (await fetch(`${base}/npm/racer`)).json() as { versions: Record<string, unknown> };
    expect(Object.keys(packument.versions).sort()).toEqual(['1.0.0', '1.0.2', '1.0.3']);
  });

  it('each deletion is re-planned just before it runs: a pull or a deleted newer tag after planning keeps what the rules now keep', async () => {
    for (const tag of ['p1', 'p2', 'p3', 'p4']) await pushImage(http, 'replan', tag, { layers: [`replan ${tag}`] });
    for (const tag of ['k1', 'k2', 'k3']) await pushImage(http, 'newest', tag, { layers: [`newest ${tag}`] });
    const rules = compileRules([rule(0, 'replan/*', { keepLastPulled: 1 }), rule(1, 'newest/*', { keepLast: 1 })]);
    const now = later(1);
    const dry = await runRetention({ formats: t.services.formats, rules, now, dryRun: true });
    expect(dry.decisions.map((d) => `${d.name}:${d.reference}`).sort()).toEqual(['newest:k1', 'newest:k2', 'replan:p1', 'replan:p2', 'replan:p3']);
    // The injected point between plan and execute: p2 is pulled, and k3 (the newest) is deleted, so k2 is the newest now.
    const report = await runRetention({
      formats: t.services.formats, rules, now,
      afterPlan: async () => {
        expect((await http('GET', '/v2/replan/manifests/p2', { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).status).toBe(200);
        await t.services.pulls.flush();
        expect((await http('DELETE', '/v2/newest/manifests/k3')).status).toBe(202);
      },
    });
    expect(report.decisions.map((d) => `${d.name}:${d.reference}`).sort()).toEqual(dry.decisions.map((d) => `${d.name}:${d.reference}`).sort());
    expect(report.skipped.map((s) => `${s.decision.name}:${s.decision.reference}: ${s.why}`).sort()).toEqual(['newest:k2: the rules keep it now', 'replan:p2: the rules keep it now']);
    const tagsOf = async (name: string) => (JSON.parse((await http('GET', `/v2/${name}/tags/list`)).body.toString()) as { tags: string[] }).tags.sort();
    expect(await tagsOf('replan')).toEqual(['p2', 'p4']);
    expect(await tagsOf('newest')).toEqual(['k2']);
  });

  it('POST /api/retention runs the configured rules, GET /api/retention shows the last pass', async () => {
    t.config.retention.rules = [{ match: 'api/*', format: 'oci', keep_last: 1, older_than: 0, not_pulled_for: 0, keep_last_pulled: -1, protect: [], allow_empty: false, untagged_older_than: 0, action: 'yank' }];
    for (const tag of ['one', 'two']) await pushImage(http, 'api', tag, { layers: [`api ${tag}`] });
    const idle = await (await fetch(`${base}/api/retention`)).json() as { phase: string };
    expect(idle.phase).toBe('idle');
    const started = await fetch(`${base}/api/retention`, { method: 'POST', body: JSON.stringify({ dry_run: true }), headers: { 'content-type': 'application/json' } });
    expect(started.status).toBe(202);
    const dry = await eventually(async () => (await (await fetch(`${base}/api/retention`)).json()) as { phase: string; dry_run: boolean; decisions: Array<{ reference: string; reason: string }> }, (r) => r.phase === 'done');
    expect(dry).toMatchObject({ dry_run: true, decisions: [{ reference: 'one', reason: 'keep_last = 1: 2nd newest' }] });
    expect((await fetch(`${base}/api/retention`, { method: 'POST' })).status).toBe(202);
    const real = await eventually(async () => (await (await fetch(`${base}/api/retention`)).json()) as { phase: string; dry_run: boolean; deleted: number }, (r) => r.phase === 'done' && !r.dry_run);
    expect(real.deleted).toBe(1);
    expect((JSON.parse((await http('GET', '/v2/api/tags/list')).body.toString()) as { tags: string[] }).tags).toEqual(['two']);
  });
});
