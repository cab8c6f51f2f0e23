// The README's npm configuration table lists every [npm] key with its environment variable and
// default, exactly as the schema has them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envName } from '../../../src/lib/config/env.js';
import { schema } from '../../../src/lib/config/schema.js';

describe('README npm configuration table', () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  it.each(Object.entries(schema.npm))('documents npm.%s', (key, field) => {
    const shown = JSON.stringify(field.toToml(field.default as never));
    const row = `| \`npm.${key}\` | \`${envName(['npm', key])}\` | \`${shown}\` | ${field.doc} |`;
    expect(readme).toContain(row);
  });
});
