// The terminal log format: time, level, message and key fields on one line; an access-log line
// reads "GET /path 200 1.5ms"; a warning never carries a stack; an error shows its stack; colour
// only when asked; pino records pass through the destination unchanged otherwise.
import { Chalk } from 'chalk';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { prettyDestination, prettyLine } from '../../../src/server/pretty-log.js';
import { createLogger, logDestination } from '../../../src/server/logger.js';

const plain = new Chalk({ level: 0 });
const record = (fields: Record<string, unknown>) => JSON.stringify({ level: 'info', time: '2026-12-06T20:31:07.123Z', pid: 7, ...fields });

describe('prettyLine', () => {
  it('time, level, message, then key=value fields', () => {
    expect(prettyLine(record({ msg: 'listening', url: 'http://127.0.0.1:4000', data_dir: '/var/lib/nora', upstreams: ['npm:npmjs=https://registry.npmjs.org', 'cargo:crates=sparse+https://index.crates.io/'] }), plain))
      .toBe('20:31:07.123 INFO  listening url=http://127.0.0.1:4000 data_dir=/var/lib/nora upstreams=npm:npmjs=https://registry.npmjs.org,cargo:crates=sparse+https://index.crates.io/\n');
  });

  it('an access-log line leads with method, path, status and duration', () => {
    expect(prettyLine(record({ msg: 'request', req_id: 'r1', method: 'GET', path: '/v2/', status: 200, ms: 1.5, bytes_in: 0, bytes_out: 2 }), plain))
      .toBe('20:31:07.123 INFO  GET /v2/ 200 1.5ms req_id=r1 bytes_in=0 bytes_out=2\n');
  });

  it('a warning is one line (the error message, no stack); an error shows its stack below', () => {
    const err = { type: 'Error', message: 'connect ECONNREFUSED', stack: 'Error: connect ECONNREFUSED\n    at /build/dist/nora.cjs:1:2' };
    const warn = prettyLine(record({ level: 'warn', msg: 'upstream down', upstream: 'npmjs', err }), plain);
    expect(warn).toBe('20:31:07.123 WARN  upstream down upstream=npmjs error="connect ECONNREFUSED"\n');
    const error = prettyLine(record({ level: 'error', msg: 'unexpected error', err }), plain);
    expect(error).toBe('20:31:07.123 ERROR unexpected error error="connect ECONNREFUSED"\n    at /build/dist/nora.cjs:1:2\n');
  });

  it('colours the level only when colour is on; passes a non-JSON line through', () => {
    const coloured = prettyLine(record({ level: 'warn', msg: 'x' }), new Chalk({ level: 1 }));
    expect(coloured).toContain('\u001b[33m');
    expect(prettyLine(record({ level: 'warn', msg: 'x' }), plain)).not.toContain('\u001b[');
    expect(prettyLine('not json', plain)).toBe('not json');
  });
});

describe('the destination', () => {
  it('pino records (redacted) come out as readable lines; auto is JSON off a terminal', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', prettyDestination({ write: (line: string) => { lines.push(line); } }, false));
    logger.info({ token: 'nra_secret', user: 'alice' }, 'hello');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}hello token=\*\*\* user=alice\n$/);
    const json = await logDestination('json', true) as pino.DestinationStream & { fd?: number };
    expect(json.fd).toBe(1);
    const pretty = await logDestination('auto', true) as pino.DestinationStream & { fd?: number };
    expect(pretty.fd).toBeUndefined();
  });
});
