// pino JSON logs on standard output, written in-thread (worker transports cannot load inside
// the single executable). Credentials are redacted wherever they could appear in a log object.
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

export function createLogger(level: string, destination: pino.DestinationStream = pino.destination({ sync: false, maxLength: MAX_BUFFERED_LOG_BYTES })): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '***' },
    formatters: { level: (label) => ({ level: label }) },
  }, destination);
}
