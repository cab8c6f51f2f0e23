// Colour for people, none for programs: status words, errors and table headers are coloured
// only when the stream they go to is a terminal. NO_COLOR (any non-empty value) turns colour
// off; FORCE_COLOR turns it on even when piped, and wins over NO_COLOR. The level is worked out
// here per stream, one rule for both (chalk's default instance follows stdout only).
import { Chalk, type ChalkInstance } from 'chalk';

type Level = 0 | 1 | 2 | 3;

/** FORCE_COLOR as chalk reads it: "" or "true" is 1, "false" 0, a number is the level (at most 3). */
function forcedLevel(value: string): Level {
  if (value === '' || value === 'true') return 1;
  if (value === 'false') return 0;
  const level = Number.parseInt(value, 10);
  return Number.isNaN(level) ? 1 : (Math.max(0, Math.min(level, 3)) as Level);
}

const LEVEL_OF_DEPTH: Record<number, Level> = { 1: 0, 4: 1, 8: 2, 24: 3 };

/** The chalk level for `stream`: forced by FORCE_COLOR, else from the terminal's colour depth (TERM, COLORTERM, NO_COLOR). */
export function colourLevel(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Level {
  if ('FORCE_COLOR' in env) return forcedLevel(env.FORCE_COLOR ?? '');
  if (env.NO_COLOR) return 0;
  if (!stream.isTTY) return 0;
  return LEVEL_OF_DEPTH[stream.getColorDepth(env)] ?? 0;
}

/** For what goes to stdout (tables, results). */
export const out: ChalkInstance = new Chalk({ level: colourLevel(process.stdout) });
/** For what goes to stderr (errors, warnings, progress). */
export const err: ChalkInstance = new Chalk({ level: colourLevel(process.stderr) });
