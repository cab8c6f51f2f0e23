// request.log is a pino child made only when a line is written: the lines it writes still carry
// the request id and go through the redaction, a level changed on the server's logger applies to
// requests already running, and a request that writes nothing makes no child at all.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../../src/server/logger.js';
import { buildApp } from '../../../src/server/app.js';
import { requestLogger } from '../../../src/server/core/request-logger.js';
import { createServices } from '../../../src/lib/services.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { loadConfig } from '../../../src/lib/config/loader.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('request logger', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('binds the request id on the first line written, through the redaction', () => {
    const { lines, stream } = capture();
    const parent = createLogger('info', stream);
    const child = vi.spyOn(parent, 'child');
    const log = requestLogger(parent, { req_id: 'r-1' }, {});
    log.debug('not at this level');
    expect(child).not.toHaveBeenCalled();
    log.warn({ password: 'hunter2', n: 1 }, 'first');
    log.info('second');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l.msg, l.req_id, l.password])).toEqual([['first', 'r-1', '***'], ['second', 'r-1', undefined]]);
  });

  it('follows a level changed on the server logger after the request began', () => {
    const { lines, stream } = capture();
    const parent = createLogger('warn', stream);
    const log = requestLogger(parent, { req_id: 'r-2' }, {});
    log.info('dropped');
    parent.level = 'info';
    log.info('kept');
    parent.level = 'error';
    log.warn('dropped again');
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });

  it('makes the child at once when the route asks for its own level', () => {
    const { lines, stream } = capture();
    const parent = createLogger('info', stream);
    const log = requestLogger(parent, { req_id: 'r-3' }, { level: 'error' });
    log.warn('below the route level');
    log.error('at it');
    expect(lines.map((l) => [l.msg, l.req_id])).toEqual([['at it', 'r-3']]);
  });

  it('serves requests that write nothing without a child, and logs the access line with the request id', async () => {
    const { lines, stream } = capture();
    for (const level of ['error', 'info'] as const) {
      lines.length = 0;
      const logger = createLogger(level, stream);
      const child = vi.spyOn(logger, 'child');
      const { config } = loadConfig({ env: {}, cwd: '/nonexistent-nora-test-dir', flags: { 'storage.backend': 'memory' } });
      const services = await createServices(config, { store: new MemoryStore() });
      app = await buildApp({ services, logger });
      const made = child.mock.calls.length;
      const response = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': `id-${level}` } });
      expect(response.statusCode).toBe(200);
      expect(child.mock.calls.length).toBe(made);
      const access = lines.filter((l) => l.msg === 'request');
      expect(access.map((l) => [l.req_id, l.path, l.status])).toEqual(level === 'info' ? [[`id-${level}`, '/health', 200]] : []);
      await app.close();
      await services.close();
      app = undefined;
    }
  });
});
