// The README names files of this repository (scripts to run, modules to read); every one of
// them must exist, so a newcomer following it never hits a path that is not there. Build
// output (dist/) and paths on the user's machine (~/..., /etc/...) are not repository paths.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** Top-level folders and files of the repository that the README may point into. */
const REPO_PATH = /(?<![\w./~-])((?:src|scripts|test|bin|deploy|\.ci)\/[\w./-]*[\w-]|(?:package|tsconfig|sea-config)\.json|vitest\.config\.mts|eslint\.config\.mjs)/g;

function namedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(REPO_PATH)) found.add(match[1]!.replace(/\/$/, ''));
  return [...found].sort();
}

describe('README paths', () => {
  it('finds the paths it names (the check itself can fail)', () => {
    expect(namedPaths('see `scripts/ci/install-deps.sh`, src/lib/x.ts and ~/scripts/y, /etc/src/z')).toEqual(['scripts/ci/install-deps.sh', 'src/lib/x.ts']);
    expect(existsSync(path.join(ROOT, 'scripts/ci/no-such-file.sh'))).toBe(false);
  });

  it('names only files and folders that exist in the repository', () => {
    const paths = namedPaths(readme);
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});
