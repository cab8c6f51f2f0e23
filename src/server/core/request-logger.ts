// Each request's logger (`request.log`), made a pino child only when a line is written through it.
// fastify makes a child per request to bind the request id, and pino runs every child binding
// through the redaction paths: ~2.6 KB of garbage per request (heap profile under the 64-connection
// manifest load), for a logger most requests never write to below the configured level. The lazy
// logger asks the parent for the level at every call, so a level changed by SIGHUP applies at once.
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogArgs = Parameters<FastifyBaseLogger['info']>;

/** Whether `logger` writes at `level` (pino can tell; fastify's no-op logger writes nothing anyway). */
export const enabled = (logger: FastifyBaseLogger, level: Level): boolean => {
  const check = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return check ? check.call(logger, level) : true;
};

class RequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(private readonly parent: FastifyBaseLogger, private readonly bindings: Bindings) {}

  /** The pino child, made on first use. */
  private real(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings);
    return this.made;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  get level(): string {
    return (this.made ?? this.parent).level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  private write(level: Level, args: LogArgs): void {
    if (enabled(this.made ?? this.parent, level)) this.real()[level](...args);
  }

  fatal(...args: LogArgs): void { this.write('fatal', args); }
  error(...args: LogArgs): void { this.write('error', args); }
  warn(...args: LogArgs): void { this.write('warn', args); }
  info(...args: LogArgs): void { this.write('info', args); }
  debug(...args: LogArgs): void { this.write('debug', args); }
  trace(...args: LogArgs): void { this.write('trace', args); }
  silent(): void { /* the silent level writes nothing */ }
}

/**
 * fastify's childLoggerFactory. A route's own logger options (a level, serializers) need the child
 * at once; NORA's routes set none, so every request gets the lazy logger.
 */
export function requestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (options.level !== undefined || options.serializers !== undefined) return logger.child(bindings, options);
  return new RequestLogger(logger, bindings);
}
