// Listing globs: the same answers as picomatch for the syntax callers may use (`*`, `**`, `?`),
// without regular expressions, and refusal of everything richer. picomatch took 7.6 s on "?(*)"
// repeated and 4 s on "*a*a*a*ab" against a 200-character name (found by the /api fuzz test).
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { simpleGlob, simpleGlobProblem } from '../../../src/lib/glob/simple-glob.js';
import { nameMatcher } from '../../../src/lib/formats/page-names.js';

const NAMES = ['team', 'team/app', 'team/a/b', 'team/app/x', 'a', 'a/b', 'ab', 'axxb', 'ax/xb', 'b', '@acme/tool', '@acme', 'org.example:lib', 'org.example:lib-x', 'library/nginx', 't?am/x', 'aaa', 'a.b.c'];
const GLOBS = ['team/**', 'team/*', '*', '**', 'a*', 'a**b', '**/b', 'a/**/b', '?', '??', 't?am/*', '@acme/*', 'org.example:*', '*lib*', '**/x', 'team/**/x', '*/*', 'a*a', '*a*', 'a.*', 'library/nginx'];

describe('simple globs', () => {
  it.each(GLOBS)('%j matches what picomatch matches', (glob) => {
    const ours = simpleGlob(glob);
    const theirs = picomatch(glob);
    for (const name of NAMES) expect(ours(name), `${glob} vs ${name}`).toBe(theirs(name));
  });

  it('answers a pathological glob on a long name (no backtracking)', () => {
    expect(simpleGlob('*a'.repeat(50) + 'b')('a'.repeat(255))).toBe(false);
    expect(simpleGlob('*a'.repeat(50) + '*')('a'.repeat(255))).toBe(true);
    expect(simpleGlob('**/'.repeat(60) + 'x')(`${'a/'.repeat(200)}x`)).toBe(true);
  });

  it.each(['?(*)'.repeat(100), '{a,b}/*', '[a-z]*', '!(x)', 'a|b', '@(a|b)', 'a\\*', 'x'.repeat(257)])('refuses %j', (glob) => {
    expect(simpleGlobProblem(glob)).toBeDefined();
    expect(() => nameMatcher(glob)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY', status: 400 }));
  });
});
