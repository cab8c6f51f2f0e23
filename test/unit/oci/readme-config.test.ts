// The README's OCI configuration table names every [docker] key with its variable, default and
// doc line, and nothing else: the docs cannot drift from the schema.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { schema } from '../../../src/lib/config/schema.js';
import { envName } from '../../../src/lib/config/env.js';

test('README rows match schema.docker', () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `(docker\.[a-z_]+)` \| `([A-Z_]+)` \| `([^`]*)` \| (.+) \|$/gm)].map((m) => m.slice(1, 5));
  expect(rows.map((r) => r[0])).toEqual(Object.keys(schema.docker).map((key) => `docker.${key}`));
  for (const [key, env, shown, doc] of rows) {
    const field = schema.docker[key!.slice('docker.'.length) as keyof typeof schema.docker];
    expect(env).toBe(envName(['docker', key!.slice('docker.'.length)]));
    const parsed = field.fromToml(shown === 'true' || shown === 'false' ? shown === 'true' : shown);
    expect(parsed, `${key} default`).toEqual({ ok: true, value: field.default });
    expect(doc).toBe(field.doc);
  }
});

test('the README lists every OCI error code of the catalog', async () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const { SPEC_CODES } = await import('../../../src/lib/oci/errors.js');
  for (const code of SPEC_CODES) expect(readme).toContain(`\`${code}\``);
});
