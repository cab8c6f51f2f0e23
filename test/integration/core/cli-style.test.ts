// One CLI style, as a user meets it: --json (JSON lines) and --format json|tsv with snake_case
// keys, empty listings, the documented exit codes with one sentence for every failure (bad
// --server, a server that is not NORA, credentials needed, unknown host, an archive that is not
// gzip, an unknown token), help/version spellings with "did you mean", and colour only on a
// terminal (a pseudo-terminal from util-linux `script`), never with NO_COLOR, forced by FORCE_COLOR.
/* eslint-disable no-control-regex -- ANSI colour escapes are what these tests look for */
// Each test runs several nora processes: 90 s each, for a loaded CI machine.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, noraCommand, runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { fetchHttp, pushImage } from '../../helpers/oci-client.js';

const ANSI = /\u001b\[[0-9;]*m/;
let nora: NoraServer;
let dir: string;
let notNora: http.Server;
let notNoraUrl: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-cli-style-'));
  nora = await startNora();
  await pushImage(fetchHttp(nora.url), 'style/app', 'v1', { layers: ['style layer'] });
  await pushImage(fetchHttp(nora.url), 'style/app', 'v2', { layers: ['style layer 2'] });
  notNora = http.createServer((_req, res) => { res.writeHead(404, { 'content-type': 'text/html' }); res.end('<h1>Not Found</h1>'); });
  await new Promise<void>((resolve) => notNora.listen(0, '127.0.0.1', resolve));
  notNoraUrl = `http://127.0.0.1:${(notNora.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  await nora.stop();
  await new Promise((resolve) => notNora.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Runs nora on a pseudo-terminal: what a person at a terminal sees (stdout and stderr merged). */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  const command = [...noraCommand(), ...args].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ');
  const base = Object.fromEntries(Object.entries(cleanEnv()).filter(([key]) => !['NO_COLOR', 'FORCE_COLOR', 'CI'].includes(key)));
  return new Promise((resolve) => {
    execFile('script', ['-qfec', command, '/dev/null'], { env: { ...base, TERM: 'xterm-256color', COLUMNS: '120', ...env } }, (error, stdout) => {
      resolve({ code: error ? Number(error.code) : 0, output: stdout });
    });
  });
}

describe('output: --json, --format json|tsv, table', { timeout: 90_000 }, () => {
  it('images ls --json prints one snake_case object per line; --format json one array; tsv rows; a table with its header', async () => {
    const env = { NORA_URL: nora.url };
    const lines = await runNora(['images', 'ls', 'style/*', '--json'], { env });
    expect(lines.code, lines.stderr).toBe(0);
    const objects = lines.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.map((o) => o.version)).toEqual(['v1', 'v2']);
    expect(Object.keys(objects[0]!)).toEqual(expect.arrayContaining(['type', 'name', 'version', 'digest', 'size', 'pushed']));
    const array = await runNora(['images', 'ls', 'style/*', '--format', 'json'], { env });
    expect(JSON.parse(array.stdout)).toEqual(objects);
    const tsv = await runNora(['images', 'ls', 'style/*', '--format', 'tsv'], { env });
    expect(tsv.stdout.trim().split('\n').map((row) => row.split('\t').slice(0, 3))).toEqual(objects.map((o) => [o.name, o.version, o.digest]));
    const table = await runNora(['images', 'ls', 'style/*'], { env });
    expect(table.stdout.split('\n')[0]).toMatch(/^REPOSITORY\s+TAG\s+DIGEST\s+SIZE\s+PUSHED$/);
    expect(table.stdout).not.toMatch(ANSI);
    expect((await runNora(['images', 'ls', '--json', '--format', 'json'], { env })).code).toBe(2);
  });

  it('an empty listing: the table header, nothing as JSON lines, [] as --format json', async () => {
    const env = { NORA_URL: nora.url };
    const table = await runNora(['images', 'ls', 'nothing/*'], { env });
    expect([table.code, table.stdout]).toEqual([0, 'REPOSITORY  TAG  DIGEST  SIZE  PUSHED\n']);
    expect(await runNora(['images', 'ls', 'nothing/*', '--json'], { env })).toMatchObject({ code: 0, stdout: '' });
    expect(await runNora(['images', 'ls', 'nothing/*', '--format', 'json'], { env })).toMatchObject({ code: 0, stdout: '[]\n' });
    const tokens = await runNora(['tokens', 'ls', '--data-dir', nora.dataDir]);
    expect(tokens.stdout).toMatch(/^ID\s+NAME\s+OWNER\s+CREATED\s+EXPIRES\s+LAST USED\s+PERMISSIONS\n$/);
    expect((await runNora(['tokens', 'ls', '--data-dir', nora.dataDir, '--format', 'json'])).stdout).toBe('[]\n');
  });

  it('single results are one object with snake_case keys (gc, delete --dry-run, tag)', async () => {
    const gc = await runNora(['gc', '--dry-run', '--json', '--data-dir', nora.dataDir]);
    expect(gc.code, gc.stderr).toBe(0);
    const report = JSON.parse(gc.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ dry_run: true, blobs_freed: 0, bytes_freed: 0 });
    expect(Object.keys(report).filter((key) => /[A-Z]/.test(key))).toEqual([]);
    const dry = await runNora(['delete', 'style/app:v1', '--dry-run', '--json'], { env: { NORA_URL: nora.url } });
    expect(JSON.parse(dry.stdout)).toEqual({ ref: 'oci:style/app:v1', dry_run: true });
    expect(await (await fetch(`${nora.url}/api/artifacts?type=oci&glob=style/app&pulls=true`)).json()).toMatchObject({ items: [{ pulls: expect.any(Number) }, {}] });
  });
});

describe('exit codes and one sentence per failure', { timeout: 90_000 }, () => {
  it('a malformed --server is 2; a server that is not NORA is named; unknown hosts and closed ports are 1 without raw errors', async () => {
    const bad = await runNora(['images', 'ls', '--server', 'nora.example.com:4000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('nora images ls: --server "nora.example.com:4000" is not an http(s) URL: write it as http://HOST:PORT (or set NORA_URL)\n');
    const other = await runNora(['images', 'ls', '--server', notNoraUrl]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`not a NORA server at ${notNoraUrl}`);
    const unknown = await runNora(['tag', 'a:1', 'b:2', '--server', 'http://nora.invalid:4000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^nora tag: cannot reach http:\/\/nora\.invalid:4000: cannot resolve the host name "nora\.invalid": check the URL/);
    expect(unknown.stderr).not.toMatch(/getaddrinfo|ENOTFOUND|TypeError/);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await runNora(['delete', 'a:1', '--server', `http://127.0.0.1:${port}`]);
    expect([refused.code, refused.stderr]).toEqual([1, `nora delete: cannot reach http://127.0.0.1:${port}: nothing answers at 127.0.0.1:${port}: start "nora serve" there or check the URL (--server, or NORA_URL)\n`]);
    const blocked = await runNora(['images', 'ls', '--server', 'http://127.0.0.1:9']);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toMatch(/port 9, which HTTP clients refuse/);
  });

  it('an archive that is not gzip is one sentence, exit 1; a missing one is 3; an unknown token id is 3', async () => {
    await writeFile(path.join(dir, 'not-a-backup.tar.gz'), 'hello, this is text');
    const restore = await runNora(['restore', '-i', path.join(dir, 'not-a-backup.tar.gz'), '--data-dir', path.join(dir, 'restored')]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/^nora restore: the backup archive cannot be restored: it is not gzip data/);
    expect(restore.stderr).not.toMatch(/incorrect header check|Z_DATA_ERROR/);
    expect((await runNora(['restore', '-i', path.join(dir, 'missing.tar.gz'), '--data-dir', path.join(dir, 'restored')])).code).toBe(3);
    const revoke = await runNora(['tokens', 'revoke', '0123456789ab', '--data-dir', nora.dataDir]);
    expect([revoke.code, revoke.stderr]).toEqual([3, 'nora tokens revoke: no token 0123456789ab: "nora tokens ls" lists the ids\n']);
  });
});

describe('help, version, did you mean', { timeout: 90_000 }, () => {
  it('nora help, nora help COMMAND, nora version and -v', async () => {
    const help = await runNora(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/COMMANDS[\s\S]*backup/);
    const command = await runNora(['help', 'images', 'ls']);
    expect(command.code).toBe(0);
    expect(command.stdout).toContain('$ nora images ls');
    expect(command.stdout).toContain('--json');
    for (const spelling of [['version'], ['-v'], ['--version']]) {
      const version = await runNora(spelling);
      expect([version.code, version.stdout]).toEqual([0, expect.stringMatching(/^nora\/\d+\.\d+\.\d+ linux-/)]);
    }
  });

  it('a mistyped command or flag: exit 2 with the closest name, spelled with spaces', async () => {
    expect(await runNora(['imagse', 'ls'])).toMatchObject({ code: 2, stderr: 'nora: unknown command "imagse ls"; did you mean "images ls"? ("nora help" lists every command)\n' });
    const flag = await runNora(['images', 'ls', '--jsn']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('nora images ls: unknown flag --jsn; did you mean --json?\n  (see "nora help images ls")\n');
    expect(await runNora(['backup'])).toMatchObject({ code: 2, stderr: 'nora backup: Missing required flag output\n  (see "nora help backup")\n' });
    expect(await runNora(['images', 'ls', '--type', 'rpm'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^nora images ls: Expected --type=rpm to be one of: oci, npm/) });
  });
});

describe('colour', { timeout: 90_000 }, () => {
  it('on a terminal: the table header and status words are coloured; not with NO_COLOR; not when piped unless FORCE_COLOR', async () => {
    const env = { NORA_URL: nora.url };
    const coloured = await onTerminal(['images', 'ls', 'style/*'], env);
    expect(coloured.code, coloured.output).toBe(0);
    expect(coloured.output).toMatch(/\u001b\[1mREPOSITORY/);
    const dry = await onTerminal(['delete', 'style/app:v1', '--dry-run'], env);
    expect(dry.output).toMatch(/\u001b\[33mwould delete\u001b\[39m oci:style\/app:v1/);
    const error = await onTerminal(['tag', 'style/app:nope', 'style/app:x'], env);
    expect(error.code).toBe(3);
    expect(error.output).toMatch(/\u001b\[31mnora tag:\u001b\[39m/);
    expect((await onTerminal(['images', 'ls', 'style/*'], { ...env, NO_COLOR: '1' })).output).not.toMatch(ANSI);
    const piped = await runNora(['images', 'ls', 'style/*'], { env: { ...env, FORCE_COLOR: '1' } });
    expect(piped.stdout).toMatch(/\u001b\[1mREPOSITORY/);
  });
});
