// The README names every OCI error code of the catalog (its config keys are checked with the
// whole configuration table in test/unit/config/readme.test.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

test('the README lists every OCI error code of the catalog', async () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const { SPEC_CODES } = await import('../../../src/lib/oci/errors.js');
  for (const code of SPEC_CODES) expect(readme).toContain(`\`${code}\``);
});
