// The web UI in a real browser (Debian's headless Chromium through puppeteer-core) against the
// real server with access control on and no anonymous pull: an image pushed with skopeo and a
// package published with npm are found by search and opened; the pull and install commands name
// this server; a README with <script> and an image label with HTML run nothing and inject no
// element; a token is created (shown once) and revoked through the pages, and works then stops
// working against the API; an anonymous visitor sees a sign-in prompt and no names. Every page
// is kept as a screenshot under test-artifacts/ui/.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { basic, writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { cancelSignInPrompts, launchBrowser, screenshot } from '../../helpers/browser.js';
import { eventually } from '../../helpers/eventually.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { OciLayout } from '../../helpers/oci-layout.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

const PASSWORD = 'alice-ui-browser-pw';
const HOSTILE_LABEL = '<img src=x onerror="window.__pwned=\'label\'"><b id="injected-label">bold</b>';
const README = [
  '# UI demo',
  '',
  'A **package** with a `README` and a [link](https://example.com/docs).',
  '',
  '<script>window.__pwned = "readme"</script>',
  '<img src=x onerror="window.__pwned=\'readme-img\'"><div id="injected-readme">html</div>',
  '[click](javascript:window.__pwned=1)',
  '',
  '```js',
  'const demo = require("@acme/ui-demo");',
  '```',
].join('\n');

let server: NoraServer;
let dir: string;
let host: string;
let skopeo: Skopeo;
let npm: NpmSandbox;
let browser: Browser;
const cspViolations: string[] = [];

async function newPage(credentials = true): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844, isMobile: true });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  if (credentials) await page.authenticate({ username: 'alice', password: PASSWORD });
  return page;
}

/** The text a person sees in an element (puppeteer runs it in the page). */
const innerText = (element: unknown) => (element as { innerText: string }).innerText;
const pwned = (page: Page) => page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-ui-browser-'));
  const htpasswd = writeHtpasswd({ alice: PASSWORD });
  const config = path.join(dir, 'nora.toml');
  await writeFile(config, `[auth]\nenabled = true\nhtpasswd_file = "${htpasswd}"\nanonymous = []\n\n[[auth.rules]]\nsubject = "alice"\npermissions = ["admin:*"]\n\n[npm]\nupstreams = []\n\n[[tenants]]\nname = "uidemo"\nstorage_quota = "1MB"\n\n[[retention.rules]]\nmatch = "uidemo/*/*"\nkeep_last = 5\n`);
  server = await startNora({ args: ['--config', config] });
  host = new URL(server.url).host;

  // An image whose config carries an HTML label, pushed by skopeo.
  skopeo = await makeSkopeo();
  const layout = new OciLayout(path.join(dir, 'oci'));
  const layer = await layout.addBlob(Buffer.from('ui demo layer'), 'application/vnd.oci.image.layer.v1.tar');
  const imageConfig = await layout.addJson({
    architecture: 'amd64', os: 'linux', created: '2026-11-30T12:00:00Z',
    config: { Entrypoint: ['/bin/demo'], Cmd: ['--serve'], Labels: { 'org.example.evil': HOSTILE_LABEL, 'org.opencontainers.image.title': 'ui demo' } },
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
  }, 'application/vnd.oci.image.config.v1+json');
  const manifest = await layout.addJson({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: imageConfig, layers: [layer] }, 'application/vnd.oci.image.manifest.v1+json');
  await layout.tag('v1', manifest);
  await skopeo.run('copy', '--dest-tls-verify=false', '--dest-creds', `alice:${PASSWORD}`, `oci:${layout.dir}:v1`, `docker://${host}/uidemo/app:1.0`);

  // An npm package whose README holds a <script>, published by npm with an API token.
  const created = await fetch(`${server.url}/api/tokens`, { method: 'POST', headers: { authorization: basic('alice', PASSWORD), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'npm-publish' }) });
  const { token } = (await created.json()) as { token: string };
  npm = await npmSandbox(server.url);
  const pkg = await npm.writePackage({ name: '@acme/uidemo-pkg', version: '1.2.3', description: 'UI demo <b>package</b>', license: 'MIT' }, { 'README.md': README });
  const published = await npm.npm(['publish', `--//${host}/npm/:_authToken=${token}`], pkg);
  expect(published.code, published.stderr).toBe(0);

  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await npm?.cleanup();
  await skopeo?.cleanup();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the web UI in Chromium', () => {
  test('anonymous visitors of a private registry get a sign-in prompt and no names', async () => {
    const page = await newPage(false);
    const { prompts } = await cancelSignInPrompts(page);
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(401);
    // The browser was asked for Basic credentials (its sign-in prompt), then shows the page.
    expect(prompts).toEqual([{ url: `${server.url}/ui/`, scheme: 'basic', realm: 'NORA' }]);
    expect(page.url()).toBe(`${server.url}/ui/`);
    const body = await page.$eval('body', innerText);
    expect(body).toContain('Sign in');
    for (const name of ['uidemo', '@acme', 'Images', 'Recent pushes']) expect(body).not.toContain(name);
    const search = await page.goto(`${server.url}/ui/search?q=uidemo`);
    expect(search?.status()).toBe(401);
    expect(await page.content()).not.toContain('uidemo/app');
    await screenshot(page, '01-sign-in');
    await page.close();
  });

  test('overview, then search finds both artifacts grouped by format', async () => {
    const page = await newPage();
    const overview = await page.goto(`${server.url}/ui/`);
    expect(overview?.status()).toBe(200);
    expect(overview?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(overview?.headers()['x-content-type-options']).toBe('nosniff');
    expect(overview?.headers()['x-frame-options']).toBe('DENY');
    expect(await page.$eval('.who', (e) => e.textContent)).toContain('alice');
    const recent = await page.$$eval('main table a', (links) => links.map((a) => a.textContent));
    expect(recent).toEqual(expect.arrayContaining(['uidemo/app', '@acme/uidemo-pkg']));
    // Tenants against their quotas, and the last retention pass (a dry run started through the API).
    const tenantRow = await page.$eval('#tenants + .scroll tr:nth-child(2)', innerText);
    expect(tenantRow).toMatch(/^uidemo\s+[\d.]+ (B|KiB)\s+977 KiB\s+[\d.]+%/);
    expect(await page.$eval('#retention + *', innerText)).toContain('No retention pass has run');
    expect((await fetch(`${server.url}/api/retention`, { method: 'POST', headers: { authorization: basic('alice', PASSWORD), 'content-type': 'application/json' }, body: JSON.stringify({ dry_run: true }) })).status).toBe(202);
    await eventually(async () => (await (await fetch(`${server.url}/api/retention`, { headers: { authorization: basic('alice', PASSWORD) } })).json()) as { phase: string }, (r) => r.phase === 'done');
    await page.reload();
    const retention = await page.$eval('#retention + dl', innerText);
    expect(retention).toMatch(/done \(dry run\)/);
    expect(retention).toMatch(/Would delete\s+0 of 1 looked at/);
    expect(await page.$eval('#replication + *', innerText)).toContain('No replication rules are configured');
    await screenshot(page, '02-overview');

    await page.type('header input[name=q]', 'uidemo');
    await Promise.all([page.waitForNavigation(), page.click('header button[type=submit]')]);
    const groups = await page.$$eval('section[data-format]', (sections) => sections.map((s) => ({ format: s.getAttribute('data-format'), names: [...s.querySelectorAll('li')].map((li) => li.textContent) })));
    expect(groups).toEqual([{ format: 'oci', names: ['uidemo/app'] }, { format: 'npm', names: ['@acme/uidemo-pkg'] }]);
    await screenshot(page, '03-search');
    await page.close();
  });

  test('the image: tag list, then the image with its pull command, config and a label shown as text', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/ui/search?q=uidemo`);
    await Promise.all([page.waitForNavigation(), page.click('section[data-format=oci] li a')]);
    expect(await page.$eval('h1', (e) => e.textContent)).toBe('uidemo/app');
    expect(await page.$$eval('main table td a', (links) => links.map((a) => a.textContent))).toContain('1.0');
    await screenshot(page, '04-oci-repository');

    await Promise.all([page.waitForNavigation(), page.click('main table td a')]);
    const pull = await page.$eval('pre.copy code', (e) => e.textContent);
    expect(pull).toBe(`docker pull ${host}/uidemo/app:1.0`);
    const text = await page.$eval('main', innerText);
    expect(text).toContain('/bin/demo');
    expect(text).toContain('2026-11-30 12:00 UTC');
    expect(text).toContain(HOSTILE_LABEL);
    expect(await page.$('#injected-label')).toBeNull();
    expect(await page.$$eval('main img', (images) => images.length)).toBe(0);
    expect(await pwned(page)).toBeUndefined();
    // The script (same origin, allowed by the CSP) added copy buttons; no inline script ran.
    expect(await page.$$eval('.snippet button', (buttons) => buttons.length)).toBeGreaterThan(0);
    await screenshot(page, '05-oci-image');
    await page.close();
  });

  test('the npm package: install command, versions and a README whose HTML stays text', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/ui/search?q=uidemo`);
    await Promise.all([page.waitForNavigation(), page.click('section[data-format=npm] li a')]);
    expect(await page.$eval('h1', (e) => e.textContent)).toBe('@acme/uidemo-pkg');
    expect(await page.$eval('pre.copy code', (e) => e.textContent)).toBe(`npm install @acme/uidemo-pkg --registry ${server.url}/npm/`);
    expect(await page.$$eval('main table td a', (links) => links.map((a) => a.textContent))).toContain('1.2.3');
    const readme = await page.$eval('.readme', (e) => ({ text: (e as unknown as { innerText: string }).innerText, strong: e.querySelector('strong')?.textContent, links: [...e.querySelectorAll('a')].map((a) => a.getAttribute('href')) }));
    expect(readme.strong).toBe('package');
    expect(readme.text).toContain('<script>window.__pwned = "readme"</script>');
    expect(readme.links).toEqual(['https://example.com/docs']);
    expect(await page.$('#injected-readme')).toBeNull();
    expect(await page.$$eval('script', (scripts) => scripts.map((s) => s.getAttribute('src')))).toEqual([expect.stringMatching(/^\/ui\/assets\/app\.[0-9a-f]{12}\.js$/)]);
    expect(await pwned(page)).toBeUndefined();
    await screenshot(page, '06-npm-package');

    await Promise.all([page.waitForNavigation(), page.click('main table td a')]);
    expect(await page.$eval('pre.copy code', (e) => e.textContent)).toBe(`npm install @acme/uidemo-pkg@1.2.3 --registry ${server.url}/npm/`);
    expect(await pwned(page)).toBeUndefined();
    await screenshot(page, '07-npm-version');
    await page.close();
  });

  test('a token is created, shown once, works, and is revoked', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/ui/tokens`);
    await page.type('input[name=name]', 'from-the-browser');
    await Promise.all([page.waitForNavigation(), page.click('.token-form button[type=submit]')]);
    const token = await page.$eval('#new-token pre code', (e) => e.textContent ?? '');
    expect(token).toMatch(/^nra_/);
    await screenshot(page, '08-token-created');
    const asToken = () => fetch(`${server.url}/api/tokens`, { headers: { authorization: `Bearer ${token}` } });
    expect((await asToken()).status).toBe(200);

    // Shown once: the token list never carries the secret again.
    await page.goto(`${server.url}/ui/tokens`);
    expect(await page.content()).not.toContain(token);
    page.on('dialog', (dialog) => void dialog.accept());
    const row = await page.$$eval('#tokens tr', (rows) => rows.findIndex((r) => r.textContent?.includes('from-the-browser')));
    expect(row).toBeGreaterThan(0);
    await Promise.all([page.waitForNavigation(), page.click(`#tokens tr:nth-child(${row + 1}) button`)]);
    expect(await page.$eval('#revoked', (e) => e.textContent)).toContain('revoked');
    expect(await page.$$eval('#tokens tr', (rows) => rows.some((r) => r.textContent?.includes('from-the-browser')))).toBe(false);
    await screenshot(page, '09-token-revoked');
    expect((await asToken()).status).toBe(401);
    await page.close();
  });

  test('no page broke the content security policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
