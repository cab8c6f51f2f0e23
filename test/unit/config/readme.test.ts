// Keeps the README honest: its configuration table is exactly what the schema says, every
// command is documented, and every common error code is listed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceMarkdown } from '../../../src/lib/config/reference.js';
import { COMMANDS } from '../../../src/commands/index.js';
import { CommonErrors } from '../../../src/lib/errors/catalog.js';

const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

function between(start: string, end: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  expect(from, `README marker ${start}`).toBeGreaterThan(-1);
  expect(to, `README marker ${end}`).toBeGreaterThan(from);
  return readme.slice(from + start.length, to).trim();
}

describe('README', () => {
  it('holds the configuration table generated from the schema (`nora config keys --markdown`)', () => {
    expect(between('<!-- config-table:start -->', '<!-- config-table:end -->')).toBe(referenceMarkdown());
  });

  it('documents every command', () => {
    for (const id of Object.keys(COMMANDS)) expect(readme, id).toContain(`nora ${id.replace(/:/g, ' ')}`);
  });

  it('runs nora only in ways that work: no `npx nora` while the npm package is private', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { private?: boolean };
    expect(pkg.private).toBe(true);
    expect(readme).not.toMatch(/npx\s+nora\b(?!`)/);
  });

  it('lists every common error code with its status', () => {
    for (const error of Object.values(CommonErrors)) expect(readme, error.code).toContain(`| \`${error.code}\` | ${error.status} |`);
  });

  it('quick start is exactly two commands', () => {
    const quick = between('<!-- quick-start:start -->', '<!-- quick-start:end -->');
    const commands = quick.split('\n').filter((line) => line.trim() && !line.startsWith('```') && !line.trim().startsWith('#'));
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
  });
});
