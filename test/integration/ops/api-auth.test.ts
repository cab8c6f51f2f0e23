// The management CLI with access control on: --token / NORA_TOKEN go out as Bearer, a token
// without admin may list but not delete, anonymous callers are refused (exit 1) and told how to
// pass credentials instead of seeing an empty table.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { fetchHttp, pushImage } from '../../helpers/oci-client.js';

let nora: NoraServer;
let dir: string;
let config: string;
const token = async (...permissions: string[]) => {
  const result = await runNora(['tokens', 'create', '--config', config, '--data-dir', nora.dataDir, '--owner', 'ops', '--name', `t${permissions.length}`, ...permissions.flatMap((p) => ['--permission', p])]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n')[0]!;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-api-auth-'));
  config = path.join(dir, 'nora.toml');
  await writeFile(config, '[auth]\nenabled = true\n\n[[auth.rules]]\nsubject = "ops"\npermissions = ["pull:**", "push:**", "admin:**"]\n');
  nora = await startNora({ args: ['--config', config] });
});
afterAll(async () => {
  await nora.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('management CLI with access control', () => {
  it('sends the token as Bearer; listings show only what the caller may pull; admin is needed to delete', async () => {
    const admin = await token('pull:**', 'push:**', 'admin:**');
    const reader = await token('pull:**');
    const plain = fetchHttp(nora.url);
    const basic = `Basic ${Buffer.from(`ops:${admin}`).toString('base64')}`;
    await pushImage((method, target, options = {}) => plain(method, target, { ...options, headers: { authorization: basic, ...options.headers } }), 'secure/app', '1.0');

    const anonymous = await runNora(['images', 'ls', '--server', nora.url]);
    expect([anonymous.code, anonymous.stdout]).toEqual([1, '']);
    expect(anonymous.stderr).toBe(`nora images ls: ${nora.url} has access control on and needs credentials: pass --token TOKEN or set NORA_TOKEN (an operator creates one with "nora tokens create")\n`);
    const listed = await runNora(['images', 'ls', '--format', 'json', '--server', nora.url, '--token', reader]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'secure/app', version: '1.0' }]);

    const narrow = await runNora(['images', 'ls', '--format', 'json', '--server', nora.url, '--token', await token('pull:public/**')]);
    expect(JSON.parse(narrow.stdout)).toEqual([]);

    const refused = await runNora(['delete', 'secure/app:1.0', '--server', nora.url], { env: { NORA_TOKEN: reader } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/may not admin/);
    expect((await runNora(['delete', 'secure/app:1.0', '--server', nora.url], { env: { NORA_TOKEN: admin } })).code).toBe(0);
  });
});
