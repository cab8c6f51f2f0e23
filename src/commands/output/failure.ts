// Every way a command can fail, as one sentence saying what is wrong and what to do, and the
// exit code scripts rely on: 0 ok, 1 failure, 2 usage or configuration, 3 not found. Raw errors
// (getaddrinfo ENOTFOUND, incorrect header check, a TypeError) never reach the user as such.
import { ConfigError } from '../../lib/config/config-error.js';
import { isNoraError } from '../../lib/errors/nora-error.js';

export const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure a command reports on purpose: the message is printed as is. */
export class CliFailure extends Error {
  constructor(message: string, readonly exitCode: ExitCode) {
    super(message);
    this.name = 'CliFailure';
  }
}

interface SystemError { code?: string; syscall?: string; hostname?: string; address?: string; port?: number; path?: string; input?: string; cause?: unknown }

/** What a system or network error means for the user, or undefined when it is not one. */
function systemFailure(error: SystemError): CliFailure | undefined {
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CliFailure(`cannot resolve the host name "${error.hostname ?? '?'}": check the URL (--server, or NORA_URL)`, EXIT.failure);
    case 'ECONNREFUSED':
      return new CliFailure(`nothing answers at ${error.address ?? '?'}:${error.port ?? '?'}: start "nora serve" there or check the URL (--server, or NORA_URL)`, EXIT.failure);
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new CliFailure('the connection to the server broke off: check that the URL is a NORA server and try again', EXIT.failure);
    case 'ERR_INVALID_URL':
      return new CliFailure(`"${error.input ?? '?'}" is not a URL: write it as http://HOST:PORT`, EXIT.usage);
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return new CliFailure('the input is not a gzip archive (or it is damaged): give the .tar.gz file that "nora backup" wrote', EXIT.failure);
    case 'ENOENT':
      return new CliFailure(`no such file or directory: ${error.path ?? '?'}`, EXIT.notFound);
    case 'EACCES':
    case 'EPERM':
      return new CliFailure(`permission denied: ${error.path ?? '?'}: run as a user who may ${error.syscall === 'open' ? 'open' : 'use'} it`, EXIT.failure);
    case 'EISDIR':
      return new CliFailure(`${error.path ?? '?'} is a directory: name a file`, EXIT.usage);
    case 'ENOSPC':
      return new CliFailure(`no space left on the device${error.path ? ` writing ${error.path}` : ''}: free some space and run again`, EXIT.failure);
    default:
      return undefined;
  }
}

/** A system or network error's failure, looking through causes (fetch wraps them); else undefined. */
export function knownSystemFailure(error: unknown): CliFailure | undefined {
  for (let inner: unknown = error, depth = 0; inner && typeof inner === 'object' && depth < 4; inner = (inner as SystemError).cause, depth++) {
    const known = systemFailure(inner);
    if (known) return known;
  }
  if (error instanceof Error && /incorrect header check|unexpected end of file/.test(error.message)) return systemFailure({ code: 'Z_DATA_ERROR' });
  return undefined;
}

/** The user-facing failure for any error a command let escape. */
export function describeFailure(error: unknown): CliFailure {
  if (error instanceof CliFailure) return error;
  if (error instanceof ConfigError) {
    return new CliFailure(`invalid configuration\n${error.message.replace(/^/gm, '  ')}`, EXIT.usage);
  }
  // Raised in this process (a bad archive, a full store): not found is 3, anything else 1.
  if (isNoraError(error)) return new CliFailure(error.message, error.status === 404 ? EXIT.notFound : EXIT.failure);
  const known = knownSystemFailure(error);
  if (known) return known;
  // A plain Error is a message lib code wrote for people; TypeError and its kin are bugs.
  if (error instanceof Error && error.constructor === Error) return new CliFailure(error.message, EXIT.failure);
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new CliFailure(`unexpected error (${what}): this is a bug in NORA; run again with DEBUG=nora for the stack and report it`, EXIT.failure);
}
