// Webhooks of real `nora serve` processes, driven by the stock npm client, delivering to a real
// receiver on loopback: a server killed with deliveries pending delivers them after a restart;
// two servers on one store deliver each event once; the `nora webhooks` commands on the store.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { eventually } from '../../helpers/eventually.js';
import { startReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { hookToml } from '../../helpers/webhook-config.js';

const SECRET = 'process-test-secret-5f1c';
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setup(hooks: Array<Record<string, string | number | string[]>>): Promise<{ dir: string; config: string; receiver: WebhookReceiver }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-hooks-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const receiver = await startReceiver();
  cleanup.push(() => receiver.close());
  const config = path.join(dir, 'nora.toml');
  await writeFile(config, `[storage]\ndata_dir = ${JSON.stringify(path.join(dir, 'data'))}\n\n${hooks.map((h) => hookToml({ url: receiver.url, ...h })).join('\n')}`);
  return { dir, config, receiver };
}

async function serve(setupOf: { dir: string; config: string }, env: NodeJS.ProcessEnv = { HOOK_SECRET: SECRET }): Promise<NoraServer> {
  const server = await startNora({ args: ['--config', setupOf.config], dataDir: path.join(setupOf.dir, 'data'), env, cwd: setupOf.dir });
  cleanup.push(() => server.stop());
  return server;
}

async function sandbox(url: string): Promise<NpmSandbox> {
  const sb = await npmSandbox(url);
  cleanup.push(() => sb.cleanup());
  return sb;
}

async function publish(sb: NpmSandbox, name: string): Promise<void> {
  const result = await sb.npm(['publish'], await sb.writePackage({ name, version: '1.0.0', main: 'index.js' }));
  expect(result.code, result.stderr).toBe(0);
}

const verified = (body: Buffer, signature: unknown) => signature === `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

describe('webhooks of real servers', () => {
  it('a server killed with deliveries pending delivers them after a restart, each acknowledged once', async () => {
    const s = await setup([{ name: 'ci', events: ['push'], match: ['npm:@acme/*'], secret_env: 'HOOK_SECRET', retry_delay: '200ms', timeout: '2s', max_attempts: 100 }]);
    s.receiver.respond = () => 503; // down for now
    const first = await serve(s);
    const sb = await sandbox(first.url);
    await publish(sb, '@acme/one');
    await publish(sb, '@acme/two');
    await publish(sb, 'unmatched');
    await eventually(() => new Set(s.receiver.requests.map((r) => (r.json.artifact as { name: string }).name)), (names) => names.size >= 2);
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    s.receiver.respond = () => 200;
    const seenBefore = s.receiver.requests.length;

    await serve(s);
    const acks = await eventually(() => s.receiver.acknowledged(), (map) => map.size >= 2, { timeoutMs: 60_000 });
    expect([...acks.values()]).toEqual([1, 1]);
    const acked = s.receiver.requests.filter((r) => r.status === 200);
    expect(acked.map((r) => (r.json.artifact as { name: string }).name).sort()).toEqual(['@acme/one', '@acme/two']);
    expect(acked.every((r) => verified(r.body, r.headers['x-nora-signature']))).toBe(true);
    expect(s.receiver.requests.length).toBeGreaterThan(seenBefore);
  }, 120_000);

  it('two servers on one store deliver every event once, though both race for the retries', async () => {
    const s = await setup([{ name: 'ci', events: ['push'], retry_delay: '300ms', timeout: '5s', max_attempts: 20 }]);
    // Every first attempt fails, so all six deliveries wait out a backoff that both servers see.
    const firstAttempts = new Set<string>();
    s.receiver.respond = (request) => {
      const id = String(request.json.id);
      if (firstAttempts.has(id)) return 200;
      firstAttempts.add(id);
      return 500;
    };
    const a = await serve(s, {});
    const b = await serve(s, {});
    const [sa, sb] = [await sandbox(a.url), await sandbox(b.url)];
    await Promise.all([
      (async () => { for (const n of ['a1', 'a2', 'a3']) await publish(sa, `pkg-${n}`); })(),
      (async () => { for (const n of ['b1', 'b2', 'b3']) await publish(sb, `pkg-${n}`); })(),
    ]);
    const acks = await eventually(() => s.receiver.acknowledged(), (map) => map.size >= 6, { timeoutMs: 60_000 });
    expect(acks.size).toBe(6);
    // Let both dispatchers take another full look: a delivery sent twice would show up here.
    const listed = await eventually(async () => {
      const result = await runNora(['webhooks', 'deliveries', '--config', s.config, '--format', 'json']);
      return JSON.parse(result.stdout || '[]') as Array<{ state: string; attempts: number; last_status?: number; last_error?: string }>;
    }, (list) => list.length === 6 && list.every((d) => d.state === 'done'));
    expect(listed).toHaveLength(6);
    expect(listed.every((d) => d.attempts === 2 && d.last_status === 200 && d.last_error === undefined)).toBe(true);
    expect([...s.receiver.acknowledged().values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(s.receiver.requests).toHaveLength(12);
    const delivered = (server: NoraServer) => server.logs().split('\n').filter((l) => l.includes('"msg":"webhook delivered"')).length;
    expect(delivered(a) + delivered(b)).toBe(6);
  }, 120_000);

  it('nora webhooks deliveries --failed, redeliver and test; secrets and signatures never reach the log', async () => {
    const s = await setup([{ name: 'ci', events: ['push'], secret_env: 'HOOK_SECRET', retry_delay: '100ms', max_attempts: 2, timeout: '2s' }]);
    s.receiver.respond = (request) => (request.json.event === 'ping' ? 200 : 502);
    const server = await serve(s);
    await publish(await sandbox(server.url), 'doomed');
    const env = { HOOK_SECRET: SECRET };
    const failed = await eventually(async () => {
      const result = await runNora(['webhooks', 'deliveries', '--failed', '--json', '--config', s.config], { env });
      return result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id: string; state: string; attempts: number; last_status?: number });
    }, (list) => list[0]?.state === 'dead');
    expect(failed).toMatchObject([{ state: 'dead', attempts: 2, last_status: 502 }]);
    const text = await runNora(['webhooks', 'deliveries', '--failed', '--config', s.config], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ID +HOOK +EVENT +ARTIFACT +STATE +ATTEMPTS +STATUS +AT +ERROR/);
    expect(text.stdout).toMatch(new RegExp(`^${failed[0]!.id} +ci +push +npm:doomed:1\\.0\\.0 +dead +2/2 +502 `, 'm'));

    s.receiver.respond = () => 200;
    const again = await runNora(['webhooks', 'redeliver', failed[0]!.id, '--config', s.config], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`queued ${failed[0]!.id} to ci again`);
    // Queued by the command, found by the server's next look at its queue.
    const acks = await eventually(() => s.receiver.acknowledged(), (map) => map.has(failed[0]!.id), { timeoutMs: 60_000 });
    expect(acks.get(failed[0]!.id)).toBe(1);

    // The server records the acknowledgement just after the receiver answered.
    const metrics = await eventually(async () => (await fetch(`${server.url}/metrics`)).text(), (text) => text.includes('result="done"} 1'));
    expect(metrics).toContain('nora_webhook_attempts_total{hook="ci",result="retry"} 1');
    expect(metrics).toContain('nora_webhook_attempts_total{hook="ci",result="dead"} 1');
    expect(metrics).toContain('nora_webhook_attempts_total{hook="ci",result="done"} 1');
    expect(metrics).toMatch(/nora_webhook_attempt_duration_seconds_count\{hook="ci"\} 3/);

    const ping = await runNora(['webhooks', 'test', 'ci', '--config', s.config], { env });
    expect(ping.code, ping.stderr).toBe(0);
    expect(ping.stdout).toMatch(/^ping ping-[0-9a-f-]+ to ci: HTTP 200 in \d+ ms/);
    const pinged = s.receiver.requests.at(-1)!;
    expect(pinged.json).toMatchObject({ event: 'ping', hook: 'ci' });
    expect(verified(pinged.body, pinged.headers['x-nora-signature'])).toBe(true);

    expect((await runNora(['webhooks', 'test', 'nope', '--config', s.config], { env })).code).toBe(3);
    expect((await runNora(['webhooks', 'redeliver', 'no-such-id', '--config', s.config], { env })).code).toBe(3);
    const unsigned = await runNora(['webhooks', 'test', 'ci', '--config', s.config]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain('webhooks[0].secret_env: environment variable HOOK_SECRET (secret of webhook "ci") is not set');

    const logs = server.logs();
    expect(logs).toContain('"msg":"webhook delivery dead-lettered"');
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain('sha256=');
    expect(logs).not.toContain('"doomed","version"'); // no body
  }, 120_000);

  it('refuses to start when a hook\'s secret_env is unset, or its URL is not http(s)', async () => {
    const s = await setup([{ name: 'ci', secret_env: 'HOOK_SECRET' }]);
    const result = await runNora(['serve', '--config', s.config, '--port', '0'], { cwd: s.dir });
    // Every *_env naming an unset variable is a configuration error (exit 2), found before the hooks start.
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('webhooks[0].secret_env: names the environment variable HOOK_SECRET, which is not set');
    await writeFile(s.config, hookToml({ name: 'ci', url: 'ftp://example.com/x' }));
    const bad = await runNora(['serve', '--config', s.config, '--port', '0'], { cwd: s.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('nora.toml:3: webhooks.0.url: expected an http(s) URL such as "https://ci.example.com/hooks/nora", got "ftp://example.com/x"');
  });
});
