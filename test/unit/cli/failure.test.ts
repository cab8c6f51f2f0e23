// Raw errors become one sentence with the documented exit code; JSON keys become snake_case.
import { describe, expect, it } from 'vitest';
import { CliFailure, describeFailure } from '../../../src/commands/output/failure.js';
import { snakeKeys } from '../../../src/lib/json/snake-keys.js';
import { NoraError } from '../../../src/lib/errors/nora-error.js';

const sys = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`raw ${code}`), { code, ...extra });

describe('describeFailure', () => {
  it.each([
    ['a fetch failure caused by an unknown host', Object.assign(new TypeError('fetch failed'), { cause: sys('ENOTFOUND', { hostname: 'nora.invalid' }) }), 1, /^cannot resolve the host name "nora\.invalid"/],
    ['a refused connection', Object.assign(new TypeError('fetch failed'), { cause: sys('ECONNREFUSED', { address: '127.0.0.1', port: 4000 }) }), 1, /^nothing answers at 127\.0\.0\.1:4000/],
    ['zlib on a file that is not gzip', sys('Z_DATA_ERROR'), 1, /not a gzip archive/],
    ['"incorrect header check" without a code', new Error('incorrect header check'), 1, /not a gzip archive/],
    ['a missing file', sys('ENOENT', { path: '/x/y' }), 3, /^no such file or directory: \/x\/y$/],
    ['a NORA error that is a not found', new NoraError('NOT_FOUND', 404, 'not found: x'), 3, /^not found: x$/],
    ['a NORA error that is not', new NoraError('BACKUP_INVALID', 400, 'the backup archive cannot be restored'), 1, /^the backup archive/],
    ['a plain Error lib code wrote', new Error('the store is read-only'), 1, /^the store is read-only$/],
    ['a TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'bind')"), 1, /^unexpected error \(TypeError: .*\): this is a bug in NORA; run again with DEBUG=nora/],
  ])('%s', (_what, error, exitCode, message) => {
    const failure = describeFailure(error);
    expect(failure).toBeInstanceOf(CliFailure);
    expect(failure.exitCode).toBe(exitCode);
    expect(failure.message).toMatch(message);
    expect(failure.message).not.toMatch(/getaddrinfo|ENOTFOUND|ECONNREFUSED|Z_DATA_ERROR|^raw /);
  });
});

describe('snakeKeys', () => {
  it('turns camelCase keys at every depth, leaves values and snake_case alone', () => {
    expect(snakeKeys({ dryRun: true, blobsFreed: 1, deleted: [{ digest: 'sha256:aB', lastPulled: 'x' }], last_used: null, nested: { durationMs: 2 } }))
      .toEqual({ dry_run: true, blobs_freed: 1, deleted: [{ digest: 'sha256:aB', last_pulled: 'x' }], last_used: null, nested: { duration_ms: 2 } });
  });
});
