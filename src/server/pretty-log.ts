// Readable log lines for a person at a terminal: time, level in colour, message, then the key
// fields as key=value. pino still builds every record (redaction included) as JSON; this only
// re-renders each line in-thread, so it works inside the single executable, where pino's worker
// transports (and so pino-pretty as a transport) cannot load. Hand-written rather than
// pino-pretty: ~60 lines against a dependency tree of its own in a binary that stays small.
import { Chalk, type ChalkInstance } from 'chalk';
import type { DestinationStream } from 'pino';

const LEVELS: Record<string, (c: ChalkInstance) => ChalkInstance> = {
  fatal: (c) => c.bgRed.white.bold,
  error: (c) => c.red.bold,
  warn: (c) => c.yellow.bold,
  info: (c) => c.green,
  debug: (c) => c.blue,
  trace: (c) => c.gray,
};
/** Fields every line has, shown in their own place or not at all. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg']);
/** An access-log line reads as "GET /path 200 1.2ms"; these fields make its message. */
const REQUEST_FIELDS = ['method', 'path', 'status', 'ms'];

function showValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return JSON.stringify(value);
}

/** Renders one pino JSON line; a line that is not JSON is passed through unchanged. */
export function prettyLine(line: string, chalk: ChalkInstance): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof record.level === 'string' ? record.level : 'info';
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : new Date().toISOString().slice(11, 23);
  let message = typeof record.msg === 'string' ? record.msg : '';
  const fields = { ...record };
  if (message === 'request' && REQUEST_FIELDS.every((k) => k in record)) {
    message = `${String(record.method)} ${String(record.path)} ${String(record.status)} ${String(record.ms)}ms`;
    for (const key of REQUEST_FIELDS) delete fields[key];
  }
  const err = fields.err as { message?: string; stack?: string } | undefined;
  delete fields.err;
  const pairs = Object.entries(fields)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${chalk.dim(`${key}=`)}${showValue(value)}`);
  if (err?.message && !message.includes(err.message)) pairs.push(`${chalk.dim('error=')}${showValue(err.message)}`);
  const style = (LEVELS[level] ?? LEVELS.info!)(chalk);
  const head = `${chalk.dim(time)} ${style(level.toUpperCase().padEnd(5))} ${message}`;
  // A stack is shown only for errors (bugs worth a trace); warnings stay one line.
  const stack = (level === 'error' || level === 'fatal') && err?.stack ? `\n${chalk.dim(err.stack.split('\n').slice(1).join('\n'))}` : '';
  return `${[head, ...pairs].join(' ')}${stack}\n`;
}

/** A pino destination that writes readable lines to `inner` (colour when `inner` is a colour terminal). */
export function prettyDestination(inner: DestinationStream & { flush?: (cb?: (error?: Error) => void) => void }, colour: boolean): DestinationStream & { flush(cb?: (error?: Error) => void): void } {
  const chalk = new Chalk({ level: colour ? 1 : 0 });
  return {
    write: (line: string) => { inner.write(prettyLine(line.trimEnd(), chalk)); },
    flush: (cb) => { if (inner.flush) inner.flush(cb); else cb?.(); },
  };
}
