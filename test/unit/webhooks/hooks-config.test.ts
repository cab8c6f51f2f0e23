// [[webhooks]] as configured: defaults, every refusal naming its key and file line, and the
// compiled filter (events, FORMAT:NAME globs) each bus event goes through.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/loader.js';
import { renderToml } from '../../../src/lib/config/render.js';
import { compileHooks, assertSecrets } from '../../../src/lib/webhooks/hooks.js';
import { buildRequest, sign } from '../../../src/lib/webhooks/delivery.js';
import type { PublishedEvent } from '../../../src/lib/events/bus.js';
import { hookSettings } from '../../helpers/webhook-config.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-hooks-config-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function load(toml: string) {
  const file = path.join(dir, 'nora.toml');
  await writeFile(file, toml);
  return loadConfig({ env: {}, cwd: dir, configPath: file }).config;
}
const problem = (toml: string) => load(toml).then(() => 'no error', (error: Error) => error.message);

const event = (type: PublishedEvent['type'], format: string, name: string): PublishedEvent => ({ type, artifact: { format, name }, at: new Date(0) });

describe('[[webhooks]]', () => {
  it('reads a hook with its defaults', async () => {
    const config = await load('[[webhooks]]\nname = "ci"\nurl = "https://ci.example.com/hooks/nora"\nevents = ["push", "tag"]\nheaders = { "X-Team" = "platform" }\n');
    expect(config.webhooks).toEqual([{
      name: 'ci', url: 'https://ci.example.com/hooks/nora', events: ['push', 'tag'], match: [], secret_env: '', format: 'nora',
      headers: { 'X-Team': 'platform' }, timeout: 10_000, max_attempts: 8, retry_delay: 10_000, keep_delivered: 604_800_000, concurrency: 4,
    }]);
    expect((await load('')).webhooks).toEqual([]);
    const shown = renderToml(config);
    expect(shown).toContain('[webhooks.headers]\nX-Team = "***"');
    expect(shown).not.toContain('platform');
  });

  it('refuses bad values, naming the key and line', async () => {
    const hook = (extra: string) => `[[webhooks]]\nname = "ci"\nurl = "https://ci.example.com/x"\n${extra}\n`;
    expect(await problem(hook('events = ["push", "pushed"]'))).toContain('nora.toml:4: webhooks.0.events: unknown event "pushed"');
    expect(await problem(hook('match = ["docker:prod/**"]'))).toContain('webhooks.0.match: "docker:prod/**": the format before \':\' must be one of oci, npm, maven, cargo, pypi, *');
    expect(await problem(hook('match = ["oci:{a,b}"]'))).toContain('only *, ** and ? are wildcards');
    expect(await problem(hook('format = "xml"'))).toContain('webhooks.0.format: expected one of "nora", "cloudevents"');
    expect(await problem(hook('headers = { "X-Nora-Signature" = "forged" }'))).toContain('"X-Nora-Signature" is set by NORA itself');
    expect(await problem(hook('headers = { "Bad Header" = "x" }'))).toContain('"Bad Header" is not a valid header name');
    expect(await problem(hook('secret_env = "not a name"'))).toContain('expected an environment variable name');
    expect(await problem(hook('max_attempts = 0'))).toContain('webhooks.0.max_attempts: must be at least 1');
    expect(await problem('[[webhooks]]\nname = "ci"\nurl = "https://user:hunter2@ci.example.com x"\n')).not.toContain('hunter2');
    const credentials = await problem('[[webhooks]]\nname = "ci"\nurl = "https://user:hunter2@ci.example.com/x"\n');
    expect(credentials).toContain('webhooks.0.url: credentials in the URL are not sent; put them in headers');
    expect(credentials).not.toContain('hunter2');
    expect(await problem('[[webhooks]]\nname = "ci"\n')).toContain('webhooks[0]: name and url are required');
    expect(await problem('[[webhooks]]\nname = "ci"\nurl = "http://a.example/"\n[[webhooks]]\nname = "ci"\nurl = "http://b.example/"\n')).toContain('webhooks[1].name: duplicate webhook name "ci"');
    expect(await problem('[[webhooks]]\nname = "CI hook"\nurl = "http://a.example/"\n')).toContain('webhooks.0.name: expected a short lowercase name');
  });

  it('selects by event (empty: every change but pulls) and by FORMAT:NAME globs', () => {
    const [all, picky, bare] = compileHooks([
      hookSettings({ name: 'all', url: 'http://x/' }),
      hookSettings({ name: 'picky', url: 'http://x/', events: ['push', 'pull'], match: ['oci:prod/**', 'npm:@acme/*'] }),
      hookSettings({ name: 'bare', url: 'http://x/', match: ['team-*'] }),
    ]);
    expect(all!.selects(event('ArtifactPushed', 'maven', 'org/example/app'))).toBe(true);
    expect(all!.selects(event('OwnersChanged', 'cargo', 'c'))).toBe(true);
    expect(all!.selects(event('ArtifactPulled', 'npm', 'x'))).toBe(false);
    expect(picky!.selects(event('ArtifactPushed', 'oci', 'prod/team/api'))).toBe(true);
    expect(picky!.selects(event('ArtifactPulled', 'oci', 'prod'))).toBe(true); // ** also matches the prefix itself
    expect(picky!.selects(event('TagCreated', 'oci', 'prod/api'))).toBe(false);
    expect(picky!.selects(event('ArtifactPushed', 'npm', '@acme/x'))).toBe(true);
    expect(picky!.selects(event('ArtifactPushed', 'npm', '@acme/x/y'))).toBe(false);
    expect(picky!.selects(event('ArtifactPushed', 'pypi', 'prod/api'))).toBe(false);
    expect(bare!.selects(event('ArtifactDeleted', 'pypi', 'team-a'))).toBe(true);
    expect(bare!.selects(event('ArtifactDeleted', 'cargo', 'other'))).toBe(false);
  });

  it('signs the exact body; an unset secret_env stops sending, naming the variable', () => {
    const [hook] = compileHooks([hookSettings({ name: 'ci', url: 'http://x/', secret_env: 'S' })], { S: 'k' });
    const request = buildRequest(hook!, 'd1', { event: 'push', artifact: { format: 'npm', name: 'a', reference: '1.0.0' }, at: '2026-01-01T00:00:00.000Z' }, 2, 'nora');
    expect(JSON.parse(request.body.toString())).toEqual({ id: 'd1', hook: 'ci', event: 'push', timestamp: '2026-01-01T00:00:00.000Z', artifact: { format: 'npm', name: 'a', reference: '1.0.0' } });
    expect(request.headers).toMatchObject({ 'x-nora-signature': sign('k', request.body), 'x-nora-delivery': 'd1', 'x-nora-attempt': '2', 'x-nora-event': 'push' });
    expect(sign('k', Buffer.from('x'))).toBe('sha256=c38edc8815c8489f64738978f44008f8596345545f0baa68ef6fcf5c53e57189'); // HMAC-SHA256("k", "x")
    const unset = compileHooks([hookSettings({ name: 'ci', url: 'http://x/', secret_env: 'S' })], {});
    expect(() => assertSecrets(unset)).toThrow('webhooks[0].secret_env: environment variable S (secret of webhook "ci") is not set');
  });
});
