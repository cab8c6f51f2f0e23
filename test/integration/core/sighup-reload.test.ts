// SIGHUP to a real `nora serve` (what the systemd unit's ExecReload sends): a user added to the
// htpasswd file logs in, log.level from the edited config file takes effect, a changed setting
// that cannot reload is named as needing a restart, and a broken file changes nothing — all in
// the same process, which keeps serving.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../../helpers/auth-fixtures.js';
import { eventually } from '../../helpers/eventually.js';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';

let work: string;
let configFile: string;
let htpasswd: string;
let server: NoraServer;

function config({ level, grace = '1h' }: { level: string; grace?: string }): string {
  return [
    '[log]', `level = "${level}"`, 'format = "json"',
    '[gc]', `grace = "${grace}"`,
    '[auth]', 'enabled = true', `htpasswd_file = ${JSON.stringify(htpasswd)}`,
    '[[auth.rules]]', 'subject = "*"', 'permissions = ["pull:*"]', '',
  ].join('\n');
}

async function addUser(name: string, password: string): Promise<void> {
  const result = await runNora(['users', 'add', name, '--password-stdin', '--config', configFile], { input: `${password}\n` });
  expect(result.code, result.stderr).toBe(0);
}

const v2 = (authorization: string) => fetch(`${server.url}/v2/`, { headers: { authorization } }).then((r) => r.status);

/** Sends SIGHUP and waits for the n-th "reloaded" line (counting from 1); returns that line. */
async function sighup(n: number): Promise<string> {
  process.kill(server.process.pid!, 'SIGHUP');
  const lines = await eventually(() => reloadLines(), (l) => l.length >= n);
  expect(lines.length, server.logs()).toBeGreaterThanOrEqual(n);
  return lines[n - 1]!;
}

const reloadLines = () => server.logs().split('\n').filter((l) => l.includes('"msg":"reloaded"'));

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-sighup-'));
  configFile = path.join(work, 'nora.toml');
  htpasswd = path.join(work, 'htpasswd');
  await writeFile(configFile, config({ level: 'info' }));
  await addUser('alice', 'alice-password');
  server = await startNora({ args: ['--config', configFile] });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('serve reloads on SIGHUP', () => {
  it('a user added to the htpasswd file logs in after SIGHUP', { timeout: 60_000 }, async () => {
    expect(await v2(basic('alice', 'alice-password'))).toBe(200);
    expect(await v2(basic('bob', 'bob-password'))).toBe(401);
    await addUser('bob', 'bob-password');
    const line = await sighup(1);
    expect(JSON.parse(line)).toMatchObject({ reason: 'SIGHUP', reloaded: ['auth.htpasswd_file (2 users)'], restart_needed: [], failed: [] });
    expect(await v2(basic('bob', 'bob-password'))).toBe(200);
    expect(await v2(basic('bob', 'wrong-password'))).toBe(401);
  });

  it('log.level from the edited file takes effect; other changed settings are named as needing a restart', { timeout: 60_000 }, async () => {
    const pid = server.process.pid;
    await fetch(`${server.url}/health?before-warn`);
    await eventually(() => server.logs(), (l) => l.includes('before-warn'));
    expect(server.logs()).toMatch(/"path":"\/health\?before-warn"[^\n]*"msg":"request"/);

    await writeFile(configFile, config({ level: 'warn', grace: '2h' }));
    const line = JSON.parse(await sighup(2));
    expect(line).toMatchObject({ reloaded: ['log.level=warn', 'auth.htpasswd_file (2 users)'], restart_needed: ['gc.grace'] });
    expect(server.logs()).toMatch(/"level":"warn"[^\n]*"keys":\["gc\.grace"\][^\n]*"msg":"changed settings need a restart to apply: gc\.grace"/);
    // Under warn, request lines are not written...
    await fetch(`${server.url}/health?under-warn`);
    // ...and back to info (logged under warn, so this reload's line is not written) they are again.
    await writeFile(configFile, config({ level: 'info', grace: '2h' }));
    process.kill(server.process.pid!, 'SIGHUP');
    await eventually(async () => { await fetch(`${server.url}/health?back-to-info`); return server.logs(); }, (l) => l.includes('back-to-info'));
    expect(server.logs()).toMatch(/"path":"\/health\?back-to-info"[^\n]*"msg":"request"/);
    expect(server.logs()).not.toContain('under-warn');
    expect(reloadLines()).toHaveLength(2);
    expect(server.process.pid).toBe(pid);
    expect(server.process.exitCode).toBeNull();
  });

  it('an invalid config file or htpasswd file is logged and the running settings and users stay', { timeout: 60_000 }, async () => {
    await writeFile(configFile, `${config({ level: 'debug' })}[server]\nport = "many"\n`);
    await writeFile(htpasswd, 'carol:plaintext-password\n');
    const line = JSON.parse(await sighup(3));
    expect(line).toMatchObject({ reloaded: [], restart_needed: [], failed: ['configuration', 'auth.htpasswd_file'] });
    expect(server.logs()).toMatch(/"level":"error"[^\n]*server\.port[^\n]*"msg":"configuration reload failed; the running settings stay"/);
    expect(server.logs()).toMatch(/"level":"error"[^\n]*non-bcrypt hash[^\n]*"msg":"htpasswd reload failed; the previous users stay"/);
    expect(server.logs()).not.toContain('plaintext-password');
    expect(await v2(basic('bob', 'bob-password'))).toBe(200);
    expect(await v2(basic('carol', 'plaintext-password'))).toBe(401);
  });
});
