// The UI's pages over inject(): every format's list, package and version page renders from one
// published artifact each, with its client command; names are paged; security headers are on
// every answer (pages, errors, assets); / redirects to /ui/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { injectHttp, OCI_INDEX, OCI_MANIFEST, pushImage } from '../../helpers/oci-client.js';
import { publications } from '../../helpers/publish-each.js';

let t: TestApp;
const get = (url: string) => t.app.inject({ url, headers: { host: 'nora.test:4000' } });

beforeAll(async () => {
  t = await buildTestApp({ mutate: (config) => { config.npm.upstreams = []; } });
  const http = injectHttp(t.app);
  await pushImage(http, 'team/web', '2.0', { layers: ['ui layer one', 'ui layer two'] });
  for (const publication of publications('uipage').filter((p) => p.format !== 'oci')) {
    expect((await publication.publish(http)).status).toBeLessThan(300);
  }
});
afterAll(async () => t?.close());

describe('pages of every format', () => {
  test.each([
    ['oci', 'team/web', '2.0', 'docker pull nora.test:4000/team/web:2.0'],
    ['npm', 'uipage-pkg', '1.0.0', 'npm install uipage-pkg@1.0.0 --registry http://nora.test:4000/npm/'],
    ['maven', 'org.example:uipage', '1.0', '&lt;artifactId&gt;uipage&lt;/artifactId&gt;'],
    ['cargo', 'uipage-crate', '1.0.0', 'uipage-crate = { version = &quot;1.0.0&quot;, registry = &quot;nora&quot; }'],
    ['pypi', 'uipage-wheel', '1.0', 'pip install --index-url http://nora.test:4000/simple/ uipage-wheel==1.0'],
  ])('%s: list, package and version pages', async (format, name, version, command) => {
    const list = await get(format === 'maven' ? '/ui/maven?group=org.example' : `/ui/${format}`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`>${name}</a>`);
    const pkg = await get(`/ui/${format}/package?name=${encodeURIComponent(name)}`);
    expect(pkg.statusCode).toBe(200);
    expect(pkg.body).toContain(`>${version}</a>`);
    const detail = await get(`/ui/${format}/version?name=${encodeURIComponent(name)}&version=${encodeURIComponent(version)}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain(command);
    const missing = await get(`/ui/${format}/version?name=${encodeURIComponent(name)}&version=9.9.9`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
  });

  test('an image lists its layers and its referrers; an index its platforms', async () => {
    const http = injectHttp(t.app);
    const image = await pushImage(http, 'team/signed', '1.0', { layers: ['signed layer'] });
    await pushImage(http, 'team/signed', 'sig', { subject: { mediaType: OCI_MANIFEST, digest: image.digest, size: image.manifest.length }, artifactType: 'application/vnd.example.signature' });
    const page = await get('/ui/oci/version?name=team/signed&version=1.0');
    expect(page.body).toContain('<td>application/vnd.example.signature</td>');
    expect(page.body).toContain(image.layers[0]!.slice(0, 19));
    const arm = await pushImage(http, 'team/multi', 'arm', { layers: ['arm layer'] });
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: arm.digest, size: arm.manifest.length, platform: { os: 'linux', architecture: 'arm64' } }] }));
    expect((await http('PUT', '/v2/team/multi/manifests/latest', { body: index, headers: { 'content-type': OCI_INDEX } })).status).toBe(201);
    const multi = await get('/ui/oci/version?name=team/multi&version=latest');
    expect(multi.body).toContain('<h2>Platforms</h2>');
    expect(multi.body).toContain('<td>linux/arm64</td>');
    expect(multi.body).toContain(`href="/ui/oci/version?name=team%2Fmulti&amp;version=${encodeURIComponent(arm.digest)}"`);
  });

  test('maven lists groups first, then a group\'s artifacts', async () => {
    const groups = await get('/ui/maven');
    expect(groups.body).toContain('href="/ui/maven?group=org.example"');
  });

  test('the overview counts names and shows recent pushes', async () => {
    const page = await get('/ui/');
    expect(page.statusCode).toBe(200);
    for (const name of ['team/web', 'uipage-pkg', 'org.example:uipage', 'uipage-crate', 'uipage-wheel']) expect(page.body).toContain(`>${name}</a>`);
  });

  test('search groups results by format', async () => {
    const page = await get('/ui/search?q=UIPAGE');
    const sections = [...page.body.matchAll(/<section data-format="(\w+)">/g)].map((m) => m[1]);
    expect(sections).toEqual(['npm', 'maven', 'cargo', 'pypi']);
  });
});

describe('paging', () => {
  test('names come 50 a page, with a cursor to the next', async () => {
    const http = injectHttp(t.app);
    for (let i = 0; i < 60; i++) await pushImage(http, `paged/r${String(i).padStart(3, '0')}`, 'v1', { layers: [`paged ${i}`] });
    const first = await get('/ui/oci?q=paged/');
    const names = [...first.body.matchAll(/>(paged\/r\d+)<\/a>/g)].map((m) => m[1]);
    expect(names).toHaveLength(50);
    const next = /href="([^"]+)" rel="next"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBe('/ui/oci?q=paged%2F&after=paged%2Fr049');
    const second = await get(next!);
    expect([...second.body.matchAll(/>(paged\/r\d+)<\/a>/g)].map((m) => m[1])).toEqual(Array.from({ length: 10 }, (_, i) => `paged/r0${String(50 + i)}`));
    expect(second.body).not.toContain('rel="next"');
  });
});

describe('headers', () => {
  test('/ and /ui redirect to /ui/', async () => {
    expect((await get('/')).headers.location).toBe('/ui/');
    expect((await get('/ui')).headers.location).toBe('/ui/');
  });

  test.each(['/ui/', '/ui/search?q=x', '/ui/npm/package?name=nothing', '/ui/unknown-page', '/ui/tokens'])('%s carries the security headers', async (url) => {
    const res = await get(url);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.body).not.toMatch(/<script>|<script [^>]*>[^<]/);
  });

  test('assets are served from the bundle, hashed, and weigh under the budget', async () => {
    const page = await get('/ui/');
    const assets = [...page.body.matchAll(/(?:href|src)="(\/ui\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(2);
    let compressed = 0;
    for (const url of [...assets]) {
      const res = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toContain('immutable');
      compressed += (await import('node:zlib')).gzipSync(res.rawPayload).length;
    }
    compressed += (await import('node:zlib')).gzipSync(page.rawPayload).length;
    expect(compressed).toBeLessThan(150 * 1024);
  });
});

describe('overview of operations', () => {
  test('replication rules with their remote origin (never its credentials), the last retention pass and tenants against quotas', async () => {
    const app = await buildTestApp({
      mutate: (config) => {
        config.npm.upstreams = [];
        config.replication = [{ name: 'dc2', direction: 'push', trigger: 'schedule', schedule: '0 0 1 1 *', remote: 'http://robot:s3cret-pw@127.0.0.1:9', username: '', password_file: '', password_env: '', token_env: '', formats: ['oci'], filter: [], tags: '', semver: '', dest_prefix: '', delete: false }];
        config.tenants = [{ ...config.tenants[0]!, name: 'team', storage_quota: 2048, namespaces: [], members: [], rate_limit: { push: 0, pull: 0 } }];
      },
    });
    try {
      await pushImage(injectHttp(app.app), 'team/app', '1.0');
      const before = await app.app.inject({ url: '/ui/' });
      expect(before.body).toContain('No retention pass has run');
      expect((await app.app.inject({ method: 'POST', url: '/api/retention', payload: { dry_run: true } })).statusCode).toBe(202);
      const { eventually } = await import('../../helpers/eventually.js');
      await eventually(async () => JSON.parse((await app.app.inject({ url: '/api/retention' })).body) as { phase: string }, (r) => r.phase === 'done');
      const body = (await app.app.inject({ url: '/ui/' })).body;
      expect(body).toMatch(/<h2 id="replication">Replication<\/h2>.*<td>dc2<\/td><td>http:\/\/127\.0\.0\.1:9<\/td><td class="n">0<\/td>/s);
      expect(body).not.toContain('s3cret');
      expect(body).not.toContain('robot');
      expect(body).toMatch(/<h2 id="retention">Retention<\/h2><dl><dt>State<\/dt><dd>done \(dry run\)<\/dd>/);
      expect(body).toMatch(/<td>team<\/td><td class="n">[\d.]+ (B|KiB)<\/td><td class="n">2\.0 KiB<\/td><td class="n[^"]*">[\d.]+%<\/td>/);
    } finally {
      await app.close();
    }
  });
});
