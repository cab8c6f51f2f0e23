// Access-control fixtures: an htpasswd file with known users (bcrypt cost 4, fast), the [auth]
// rules most tests share, and Basic/Bearer header builders.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import type { NoraConfig } from '../../src/lib/config/schema.js';

export const USERS = { alice: 'alice-secret-pw-1', bob: 'bob-secret-pw-2', admin: 'admin-secret-pw-3' } as const;

export function writeHtpasswd(users: Record<string, string> = USERS): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nora-auth-'));
  const file = path.join(dir, 'htpasswd');
  writeFileSync(file, Object.entries(users).map(([n, p]) => `${n}:${bcrypt.hashSync(p, 4)}\n`).join(''));
  return file;
}

/** alice: team-frontend (push frontend/**, npm @acme/*); bob: pull only; admin: everything. */
export function applyAuth(config: NoraConfig, htpasswd: string, extra: Partial<NoraConfig['auth']> = {}): void {
  Object.assign(config.auth, {
    enabled: true,
    htpasswd_file: htpasswd,
    groups: { 'team-frontend': ['alice'] },
    anonymous: [],
    rules: [
      { subject: 'team-frontend', permissions: ['push:frontend/**', 'push:npm:@acme/*', 'push:cargo:acme-*', 'push:pypi:acme-*', 'push:maven:com/acme/**'] },
      { subject: '*', permissions: ['pull:*'] },
      { subject: 'admin', permissions: ['admin:*'] },
    ],
    ...extra,
  });
}

export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const bearer = (token: string): string => `Bearer ${token}`;
