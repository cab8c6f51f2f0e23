// Colour for people, none for programs: status words, errors and table headers are coloured
// only when the stream they go to is a terminal. NO_COLOR (any non-empty value) turns colour
// off; FORCE_COLOR turns it on even when piped, and wins over NO_COLOR (chalk reads it).
import { Chalk, chalkStderr, default as chalkStdout, type ChalkInstance } from 'chalk';

function choose(detected: ChalkInstance): ChalkInstance {
  const env = process.env;
  if (env.NO_COLOR && !('FORCE_COLOR' in env)) return new Chalk({ level: 0 });
  return detected;
}

/** For what goes to stdout (tables, results). */
export const out = choose(chalkStdout);
/** For what goes to stderr (errors, warnings, progress). */
export const err = choose(chalkStderr);
