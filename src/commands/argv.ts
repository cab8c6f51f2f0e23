// What `nora` does before oclif parses: `nora help [COMMAND]`, `nora version` and `-v` become
// oclif's --help and --version, and a mistyped command stops with a "did you mean" (exit 2)
// instead of oclif's "command not found". Pure: given argv and the command ids, what to run.
import { closest } from '../lib/config/suggest.js';

export type Routed = { argv: string[] } | { error: string };

/** `ids` are oclif's ("images:ls"); users type them with spaces. */
export function routeArgv(argv: readonly string[], ids: readonly string[]): Routed {
  const [first, ...rest] = argv;
  if (first === undefined) return { argv: ['--help'] };
  if (first === 'version' || first === '-v') return { argv: ['--version', ...rest] };
  if (first === 'help') {
    const words = rest.filter((word) => !word.startsWith('-'));
    if (words.length === 0) return { argv: ['--help'] };
    const routed = routeArgv(words, ids);
    return 'error' in routed ? routed : { argv: [...words, '--help'] };
  }
  if (first.startsWith('-')) return { argv: [...argv] };
  const firstFlag = argv.findIndex((word) => word.startsWith('-'));
  const words = argv.slice(0, firstFlag === -1 ? argv.length : firstFlag).slice(0, 3);
  const topics = new Set(ids.filter((id) => id.includes(':')).map((id) => id.split(':')[0]!));
  // A command (in either spelling), or a topic alone (oclif lists its commands).
  for (let n = Math.min(words.length, 3); n >= 1; n--) {
    if (ids.includes(words.slice(0, n).join(':'))) return { argv: [...argv] };
  }
  if (ids.includes(first) || (topics.has(first) && words.length === 1)) return { argv: [...argv] };
  const spaced = ids.map((id) => id.replaceAll(':', ' '));
  const typed = words.slice(0, topics.has(first) || words.length > 1 ? 2 : 1).join(' ');
  const guess = closest(typed, spaced) ?? closest(first, [...topics, ...spaced.filter((id) => !id.includes(' '))]);
  return { error: `unknown command "${typed}"${guess ? `; did you mean "${guess}"?` : ''} ("nora help" lists every command)` };
}
