// Never succeed on the wrong store: operator commands pointed at a place with no NORA store stop
// with exit 2, naming the absolute path and the setting that sent them there, and create
// nothing; `serve` on a data directory it cannot use stops at start with exit 2 and never says
// "listening"; a store written before the format marker existed is adopted; a newer layout is
// refused; `migrate` refuses the same store as source and target. fs and S3 (s3rver).
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noraCommand, runNora, startNora } from '../../helpers/nora-process.js';
import { runProcess } from '../../helpers/run-process.js';
import { startS3Server, type S3TestServer } from '../../helpers/s3-server.js';

let work: string;
beforeAll(async () => { work = await mkdtemp(path.join(os.tmpdir(), 'nora-store-open-')); });
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

const fresh = async (name: string) => { const dir = path.join(work, name); await mkdir(dir, { recursive: true }); return dir; };

/** A store `nora serve` made (marker and all), the server stopped again. */
async function servedStore(name: string): Promise<string> {
  const dir = path.join(work, name);
  const server = await startNora({ dataDir: dir, cwd: work });
  await server.stop({ keepData: true });
  return dir;
}

describe('operator commands on a place with no store', () => {
  it('exit 2 naming the absolute default path and "the default", creating nothing', { timeout: 90_000 }, async () => {
    const cwd = await fresh('empty-cwd');
    const commands = [['gc'], ['backup', '-o', 'b.tgz'], ['tokens', 'ls'], ['keys', 'rotate'], ['tokens', 'revoke', 'x'], ['migrate', '--to-data-dir', 'elsewhere']];
    const results = await Promise.all(commands.map((args) => runNora(args, { cwd })));
    for (const [i, args] of commands.entries()) {
      const result = results[i]!;
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`nora ${args[0]}`);
      expect(result.stderr).toContain(`no NORA store at ${path.join(cwd, 'data')}`);
      expect(result.stderr).toContain(`storage.data_dir = "./data" (from the default, relative to the current directory ${cwd})`);
      expect(result.stdout).toBe('');
    }
    expect(await readdir(cwd)).toEqual([]);
  });

  it('names the flag, the environment variable or the nora.toml line the path came from', async () => {
    const cwd = await fresh('origins');
    const byFlag = await runNora(['gc', '--data-dir', 'typo'], { cwd });
    expect(byFlag.stderr).toContain(`no NORA store at ${path.join(cwd, 'typo')}`);
    expect(byFlag.stderr).toContain('(from --data-dir)');
    const byEnv = await runNora(['tokens', 'ls'], { cwd, env: { NORA_STORAGE_DATA_DIR: '/srv/nope' } });
    expect(byEnv.stderr).toContain('"/srv/nope" (from environment variable NORA_STORAGE_DATA_DIR)');
    await writeFile(path.join(cwd, 'nora.toml'), '# a comment\n[storage]\ndata_dir = "/srv/also-nope"\n');
    const byFile = await runNora(['backup', '-o', '-'], { cwd });
    expect(byFile.code).toBe(2);
    expect(byFile.stderr).toContain('"/srv/also-nope" (from nora.toml:3)');
    expect(byFile.stdout).toBe('');
    expect(existsSync('/srv/nope') || existsSync('/srv/also-nope')).toBe(false);
  });

  it('an existing store opens: the same commands succeed', async () => {
    const dir = await servedStore('served');
    const gc = await runNora(['gc', '--data-dir', dir, '--json']);
    expect(gc.code, gc.stderr).toBe(0);
    const backup = await runNora(['backup', '-o', path.join(work, 'served.tgz'), '--data-dir', dir]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, 'nora-store.json'), 'utf8'))).toMatchObject({ format: 'nora-store', layout_version: 1 });
  });
});

describe('the format marker', () => {
  it('adopts a store written before the marker existed', async () => {
    const dir = await servedStore('legacy');
    await rm(path.join(dir, 'nora-store.json'));
    const blob = Buffer.from('a blob from an older NORA');
    const { createHash } = await import('node:crypto');
    const hex = createHash('sha256').update(blob).digest('hex');
    await mkdir(path.join(dir, 'blobs', 'sha256', hex.slice(0, 2)), { recursive: true });
    await writeFile(path.join(dir, 'blobs', 'sha256', hex.slice(0, 2), hex), blob);
    const gc = await runNora(['gc', '--data-dir', dir, '--dry-run']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, 'nora-store.json'), 'utf8'))).toMatchObject({ format: 'nora-store', layout_version: 1 });
  });

  it('refuses a layout newer than this NORA, in operator commands and in serve', async () => {
    const dir = await servedStore('newer');
    await writeFile(path.join(dir, 'nora-store.json'), JSON.stringify({ format: 'nora-store', layout_version: 99, created: '2030-01-01T00:00:00Z', written_by: '9.0.0' }));
    const gc = await runNora(['gc', '--data-dir', dir]);
    expect(gc.code).toBe(2);
    expect(gc.stderr).toContain(`the store at ${dir} has layout version 99, written by a newer NORA (9.0.0)`);
    const serve = await runNora(['serve', '--port', '0', '--data-dir', dir]);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain('layout version 99');
    expect(serve.stdout + serve.stderr).not.toContain('listening');
  });
});

describe('serve on a data directory it cannot use', () => {
  const refused = async (dataDir: string, expected: RegExp, wrap: string[] = []) => {
    const [cmd, ...lead] = noraCommand();
    const [exe, ...args] = [...wrap, cmd, ...lead, 'serve', '--port', '0', '--data-dir', dataDir];
    const result = await runProcess(exe, args, { cwd: work, input: '' });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^nora: cannot start: cannot use /);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).toContain(`storage.data_dir = ${JSON.stringify(dataDir)} (from --data-dir)`);
    expect(result.stdout + result.stderr).not.toContain('listening');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  };

  it('a file, a path under a file, /proc (where mkdir -p never returned): exit 2 at once', async () => {
    const file = path.join(work, 'a-file');
    await writeFile(file, 'x');
    await refused(file, /not a directory/);
    await refused(path.join(file, 'data'), /not a directory/);
    await refused('/proc/nora', /\/proc\/nora as the store: a parent directory cannot hold new directories/);
  });

  it('a read-only directory, empty or holding a store: exit 2', async () => {
    // Root writes through any mode bits, so as root each directory is seen through a read-only
    // bind mount (EROFS, as on a read-only volume); otherwise a mode-555 directory is read-only.
    const asRoot = process.getuid?.() === 0;
    const views: string[] = [];
    const readOnly = async (dir: string): Promise<string> => {
      if (!asRoot) { await chmod(dir, 0o555); return dir; }
      const view = `${dir}-ro`;
      await mkdir(view);
      await runProcess('mount', ['--bind', dir, view]);
      views.push(view);
      const remount = await runProcess('mount', ['-o', 'remount,bind,ro', view]);
      expect(remount.code, remount.stderr).toBe(0);
      return view;
    };
    try {
      await refused(await readOnly(await fresh('read-only-empty')), asRoot ? /read-only/ : /permission denied/);
      await refused(await readOnly(await servedStore('read-only-store')), /a test write failed/);
    } finally {
      for (const view of views) await runProcess('umount', [view]);
    }
  });
});

describe('migrate', () => {
  it('refuses the same directory as source and target, however it is spelled', async () => {
    const dir = await servedStore('same');
    const result = await runNora(['migrate', '--data-dir', dir, '--to-data-dir', `${dir}/./`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the source and the target are the same store (${dir})`);
  });
});

describe('on S3', () => {
  let s3: S3TestServer;
  beforeAll(async () => { s3 = await startS3Server(); });
  afterAll(async () => { await s3?.stop(); });
  const env = (prefix: string) => ({
    NORA_STORAGE_BACKEND: 's3', NORA_STORAGE_S3_BUCKET: s3.bucket, NORA_STORAGE_S3_ENDPOINT: s3.endpoint, NORA_STORAGE_S3_REGION: s3.region, NORA_STORAGE_S3_PREFIX: prefix,
    NORA_STORAGE_S3_PATH_STYLE: 'true', NORA_STORAGE_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId, NORA_STORAGE_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  });

  it('an empty prefix is no store (exit 2, bucket and prefix named); serve creates one; then it opens', async () => {
    const missing = await runNora(['gc'], { env: env('typo') });
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain(`no NORA store at s3://${s3.bucket}/typo at ${s3.endpoint}`);
    expect(missing.stderr).toContain('storage.s3.prefix = "typo" (from environment variable NORA_STORAGE_S3_PREFIX)');

    const server = await startNora({ env: env('nora') });
    await server.stop();
    const gc = await runNora(['gc', '--json'], { env: env('nora') });
    expect(gc.code, gc.stderr).toBe(0);
  });

  it('migrate refuses the same bucket and prefix as source and target', async () => {
    const result = await runNora(['migrate', '--to-s3-bucket', s3.bucket, '--to-s3-prefix', 'nora/', '--to-s3-endpoint', s3.endpoint, '--to-s3-path-style'], { env: env('nora') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the source and the target are the same store');
  });
});
