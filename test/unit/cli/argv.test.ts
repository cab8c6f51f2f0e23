// The pre-pass before oclif: help and version spellings, and "did you mean" for a mistyped command.
import { describe, expect, it } from 'vitest';
import { routeArgv } from '../../../src/commands/argv.js';
import { COMMANDS } from '../../../src/commands/index.js';

const ids = Object.keys(COMMANDS);
const route = (...argv: string[]) => routeArgv(argv, ids);

describe('routeArgv', () => {
  it('turns help, version and -v into oclif flags', () => {
    expect(route()).toEqual({ argv: ['--help'] });
    expect(route('help')).toEqual({ argv: ['--help'] });
    expect(route('help', 'images', 'ls')).toEqual({ argv: ['images', 'ls', '--help'] });
    expect(route('help', 'gc')).toEqual({ argv: ['gc', '--help'] });
    expect(route('help', 'tokens')).toEqual({ argv: ['tokens', '--help'] });
    expect(route('version')).toEqual({ argv: ['--version'] });
    expect(route('-v')).toEqual({ argv: ['--version'] });
  });

  it('passes known commands through, in both spellings and with arguments', () => {
    for (const argv of [['images', 'ls', 'team/*', '--json'], ['images:ls'], ['tag', 'a:1', 'b:2'], ['delete', 'npm:x@1.0.0'], ['serve', '--port', '0'], ['--version']]) {
      expect(route(...argv)).toEqual({ argv });
    }
  });

  it('suggests the closest command for a mistyped one', () => {
    expect(route('imagse', 'ls')).toEqual({ error: 'unknown command "imagse ls"; did you mean "images ls"? ("nora help" lists every command)' });
    expect(route('images', 'lst')).toMatchObject({ error: expect.stringContaining('did you mean "images ls"?') });
    expect(route('bakup', '-o', 'x')).toMatchObject({ error: expect.stringContaining('unknown command "bakup"; did you mean "backup"?') });
    expect(route('help', 'tokns', 'ls')).toMatchObject({ error: expect.stringContaining('did you mean "tokens ls"?') });
    expect(route('zzzzzzzz')).toEqual({ error: 'unknown command "zzzzzzzz" ("nora help" lists every command)' });
  });
});

describe('help text', () => {
  it('never breaks a sentence across lines: each line of a summary or description ends a sentence', () => {
    for (const [id, command] of Object.entries(COMMANDS)) {
      for (const text of [command.summary, command.description].filter(Boolean)) {
        for (const line of (text ?? '').split('\n')) expect(line, `${id}: ${line}`).toMatch(/[.:)]$/);
      }
    }
  });
});
