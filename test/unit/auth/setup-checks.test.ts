// Access-control set-ups that cannot be meant: with auth on, a missing users file refuses the
// start (naming the key and where it was set); tokens of users nobody knows are warned about;
// a user is known from the users file, a rule subject or a group.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/lib/auth/audit-log.js';
import { AuthService } from '../../../src/lib/auth/auth-service.js';
import { checkAuthSetup, unknownOwnerReason } from '../../../src/lib/auth/setup-checks.js';
import { loadConfig } from '../../../src/lib/config/index.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';

let dir: string;
let users: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-setup-checks-'));
  users = path.join(dir, 'users.htpasswd');
  await writeFile(users, `alice:${bcrypt.hashSync('alice-password', 4).replace(/^\$2b\$/, '$2y$')}\n`);
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function service(toml: string): Promise<AuthService> {
  const file = path.join(dir, 'nora.toml');
  await writeFile(file, toml);
  const { config } = loadConfig({ configPath: file, env: {}, cwd: dir });
  return new AuthService(config, new MemoryStore(), new AuditLog(''));
}
const origin = (key: string) => (key === 'auth.htpasswd_file' ? 'nora.toml:3' : 'default');

describe('checkAuthSetup', () => {
  it('refuses auth on with a users file that does not exist, naming the key, its origin and the fix', async () => {
    const missing = path.join(dir, 'nope.htpasswd');
    const auth = await service(`[auth]\nenabled = true\nhtpasswd_file = "${missing}"\n`);
    const findings = await checkAuthSetup(auth, origin);
    expect(findings.errors).toEqual([{ key: 'auth.htpasswd_file', origin: 'nora.toml:3', message: expect.stringContaining(`${missing} does not exist`) as unknown }]);
    expect(findings.errors[0]!.message).toContain(`nora users add NAME --file ${missing}`);
  });

  it('says nothing with auth off, or with a users file that exists', async () => {
    expect(await checkAuthSetup(await service(`[auth]\nhtpasswd_file = "${path.join(dir, 'nope')}"\n`), origin)).toEqual({ errors: [], warnings: [] });
    expect(await checkAuthSetup(await service(`[auth]\nenabled = true\nhtpasswd_file = "${users}"\n`), origin)).toEqual({ errors: [], warnings: [] });
  });

  it('warns about each token whose owner no users file, rule or group knows; OIDC tokens are not users', async () => {
    const auth = await service(`[auth]\nenabled = true\nhtpasswd_file = "${users}"\n[auth.groups]\nci = ["builder"]\n[[auth.rules]]\nsubject = "ops"\npermissions = ["pull:**"]\n`);
    for (const owner of ['alice', 'ops', 'builder', 'ghost']) await auth.tokens.create({ name: `t-${owner}`, owner, permissions: [], ttlMs: 0 });
    await auth.tokens.create({ name: 'ci', owner: 'oidc:github:acme/app', permissions: [], ttlMs: 0, ownerRules: false });
    const findings = await checkAuthSetup(auth, origin);
    expect(findings.errors).toEqual([]);
    expect(findings.warnings).toHaveLength(1);
    expect(findings.warnings[0]).toMatch(/^API token [0-9a-f]{12} "t-ghost" belongs to user "ghost", whom no users file, rule or group knows; revoke it with `nora tokens revoke [0-9a-f]{12}`/);
    expect(unknownOwnerReason(auth, 'alice')).toBeUndefined();
    expect(unknownOwnerReason(auth, 'ghost')).toBe(`no user "ghost": not in ${users}, and no [[auth.rules]] subject or [auth.groups] member names it; add the user first with \`nora users add ghost\``);
  });
});
