// The README's error table is exactly the catalogs' reference: a code missing from the docs, or
// documented with a stale status or meaning, fails here. After changing a catalog, regenerate it:
//   NORA_UPDATE_README=1 npx vitest run test/unit/errors/readme.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { errorTableMarkdown } from '../../../src/lib/errors/reference.js';

const START = '<!-- error-table:start -->';
const END = '<!-- error-table:end -->';
const file = path.join(__dirname, '..', '..', '..', 'README.md');

it('the README holds the error table generated from every catalog', () => {
  const readme = readFileSync(file, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  expect(from, `README marker ${START}`).toBeGreaterThan(-1);
  expect(to, `README marker ${END}`).toBeGreaterThan(from);
  const table = errorTableMarkdown();
  if (process.env.NORA_UPDATE_README === '1') writeFileSync(file, `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`);
  else expect(readme.slice(from + START.length, to).trim()).toBe(table);
});
