// pino logs on standard output, written in-thread (worker transports cannot load inside the
// single executable): JSON lines for log shippers, readable lines on a terminal (pretty-log.ts),
// as [log] format says. Credentials are redacted wherever they could appear in a log object.
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]',
  'headers.authorization', 'headers.cookie', 'headers["proxy-authorization"]', 'res.headers["set-cookie"]',
  '*.password', '*.token', '*.secret', '*.secret_access_key', '*.authorization', 'password', 'token', 'secret',
];

/**
 * Buffered, asynchronous standard output. A reader that stops draining stdout (a stuck log
 * shipper) must not grow the buffer until the heap ceiling kills the registry: past this many
 * bytes, log lines are dropped instead.
 */
const MAX_BUFFERED_LOG_BYTES = 4 * 1024 * 1024;

/** Standard output, buffered (see MAX_BUFFERED_LOG_BYTES). */
function stdoutDestination(): pino.DestinationStream {
  return pino.destination({ sync: false, maxLength: MAX_BUFFERED_LOG_BYTES });
}

/**
 * Standard output as [log] format asks: "auto" is pretty on a terminal and JSON otherwise. The
 * pretty renderer (chalk, node:tty) loads only when asked for: a server logging JSON starts without it.
 */
export async function logDestination(format: 'auto' | 'pretty' | 'json', isTerminal = process.stdout.isTTY === true): Promise<pino.DestinationStream> {
  const stdout = stdoutDestination();
  if (!(format === 'pretty' || (format === 'auto' && isTerminal))) return stdout;
  const { prettyDestination } = await import('./pretty-log.js');
  return prettyDestination(stdout, isTerminal && process.stdout.hasColors?.() !== false);
}

export function createLogger(level: string, destination: pino.DestinationStream = stdoutDestination()): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '***' },
    formatters: { level: (label) => ({ level: label }) },
  }, destination);
}
