// What SIGHUP applies and what it only names: changedKeys over whole configurations, the level
// set on every logger given, and restart-needed keys logged by name, never by value.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { HtpasswdUsers } from '../../../src/lib/auth/htpasswd.js';
import { loadConfig } from '../../../src/lib/config/loader.js';
import { changedKeys, reloadOnSighup } from '../../../src/server/core/sighup-reload.js';

const config = (flags: Record<string, string>) => loadConfig({ env: {}, cwd: '/nonexistent-nora-test-dir', flags: { 'storage.backend': 'memory', ...flags } }).config;

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

describe('changedKeys', () => {
  it('names the dotted keys whose values differ, lists and tables included', () => {
    expect(changedKeys({ a: { b: 1, c: [1] }, d: 'x' }, { a: { b: 2, c: [1] }, d: 'x' })).toEqual(['a.b']);
    expect(changedKeys({ a: { c: [1] } }, { a: { c: [1, 2] }, e: { f: true } })).toEqual(['a.c', 'e']);
    expect(changedKeys(config({}), config({}))).toEqual([]);
    expect(changedKeys(config({}), config({ 'log.level': 'debug', 'gc.grace': '2h' }))).toEqual(['log.level', 'gc.grace']);
  });
});

describe('reloadOnSighup', () => {
  it('sets the new level on every logger given, after logging the summary under the old one', async () => {
    const { lines, logger } = capture();
    const child = logger.child({ component: 'webhooks' });
    const running = config({ 'log.level': 'info' });
    const summary = await reloadOnSighup({ running, loadConfig: () => config({ 'log.level': 'error' }), loggers: [logger, child], users: new HtpasswdUsers(''), log: logger });
    expect(summary).toEqual({ reloaded: ['log.level=error'], restartNeeded: [], failed: [] });
    expect(lines.map((l) => l.msg)).toEqual(['reloaded']);
    expect([logger.level, child.level, running.log.level]).toEqual(['error', 'error', 'error']);
  });

  it('names changed settings that need a restart by key only (their values may be secrets) and keeps running with the old ones', async () => {
    const { lines, logger } = capture();
    const running = config({ 'storage.s3.access_key_id': 'id', 'storage.s3.secret_access_key': 'old-secret-value' });
    const summary = await reloadOnSighup({ running, loadConfig: () => config({ 'storage.s3.access_key_id': 'id', 'storage.s3.secret_access_key': 'new-secret-value', 'server.port': '5000' }), loggers: [logger], users: new HtpasswdUsers(''), log: logger });
    expect(summary.restartNeeded).toEqual(['server.port', 'storage.s3.secret_access_key']);
    expect(lines.at(-1)).toMatchObject({ level: 40, keys: ['server.port', 'storage.s3.secret_access_key'] });
    expect(JSON.stringify(lines)).not.toMatch(/secret-value|5000/);
    expect(running.server.port).toBe(4000);
  });
});
