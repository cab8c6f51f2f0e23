// `nora migrate` from a local data directory into S3 (s3rver), interrupted and resumed, then a
// server on the bucket serves every artifact byte-identical. A corrupted source blob is refused
// by digest and reported with exit 1.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, noraCommand, runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { startS3Server, type S3TestServer } from '../../helpers/s3-server.js';
import { expectServed, publishAll, type PublishedFile } from '../../helpers/all-formats.js';

let s3: S3TestServer;
let source: NoraServer;
let files: PublishedFile[];
let work: string;

beforeAll(async () => {
  [s3, source] = await Promise.all([startS3Server(), startNora()]);
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-migrate-'));
  files = [...(await publishAll(source.url, 'moved')), ...(await publishAll(source.url, 'also'))];
});
afterAll(async () => {
  await source?.stop();
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

const awsEnv = () => ({ AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey, AWS_REGION: s3.region });
const toS3 = () => ['--to-s3-bucket', s3.bucket, '--to-s3-endpoint', s3.endpoint, '--to-s3-region', s3.region, '--to-s3-path-style'];
type Report = { copied: number; skipped: number; failed: { key: string }[]; dry_run: boolean };
const resultOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;

/** Starts a migration and kills it after its first progress line. */
function interruptedMigrate(): Promise<void> {
  const [cmd, ...lead] = noraCommand();
  const child = spawn(cmd, [...lead, 'migrate', '--data-dir', source.dataDir, ...toS3(), '--json'], { env: { ...cleanEnv(), ...awsEnv() }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (d: Buffer) => { if (d.toString().includes('"progress"')) child.kill('SIGKILL'); });
  child.stdout.resume();
  return new Promise((resolve) => child.on('exit', () => resolve()));
}

describe('nora migrate', () => {
  it('copies fs -> S3 (dry run first, interrupted, resumed); a server on the bucket serves everything', async () => {
    const dry = await runNora(['migrate', '--data-dir', source.dataDir, ...toS3(), '--dry-run', '--json'], { env: awsEnv() });
    expect(dry.code, dry.stderr).toBe(0);
    const planned = resultOf(dry.stdout);
    expect(planned).toMatchObject({ dry_run: true, skipped: 0, failed: [] });

    await interruptedMigrate();
    const resumed = await runNora(['migrate', '--data-dir', source.dataDir, ...toS3(), '--json'], { env: awsEnv() });
    expect(resumed.code, resumed.stderr).toBe(0);
    const second = resultOf(resumed.stdout);
    expect(second.copied + second.skipped).toBe(planned.copied);
    expect(second.skipped).toBeGreaterThan(0);

    const again = await runNora(['migrate', '--data-dir', source.dataDir, ...toS3(), '--json'], { env: awsEnv() });
    expect(resultOf(again.stdout)).toMatchObject({ copied: 0, skipped: planned.copied });

    const onS3 = await startNora({
      env: {
        NORA_STORAGE_BACKEND: 's3', NORA_STORAGE_S3_BUCKET: s3.bucket, NORA_STORAGE_S3_ENDPOINT: s3.endpoint, NORA_STORAGE_S3_REGION: s3.region,
        NORA_STORAGE_S3_PATH_STYLE: 'true', NORA_STORAGE_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId, NORA_STORAGE_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      },
    });
    try {
      await expectServed(onS3.url, files);
    } finally {
      await onS3.stop();
    }
  }, 120_000); // four nora runs, one of them killed, and a server start: a budget, not a speed check

  it("writes one push line per copied version into the target's audit log, and none on a rerun", async () => {
    const target = await mkdtemp(path.join(work, 'audited-'));
    const pushes = async () => (await readFile(path.join(target, 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { action: string; identity: string; resource: string; reference?: string })
      .filter((l) => l.action === 'push');
    const first = await runNora(['migrate', '--data-dir', source.dataDir, '--to-data-dir', target, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const lines = await pushes();
    // Two seeds, one version of each of the five formats each.
    expect(lines).toHaveLength(10);
    expect(lines.every((l) => l.identity === 'migrate')).toBe(true);
    expect(new Set(lines.map((l) => l.resource.split(':')[0]))).toEqual(new Set(['oci', 'npm', 'maven', 'cargo', 'pypi']));
    expect(new Set(lines.map((l) => `${l.resource} ${l.reference}`)).size).toBe(10);
    const again = await runNora(['migrate', '--data-dir', source.dataDir, '--to-data-dir', target, '--json']);
    expect(resultOf(again.stdout)).toMatchObject({ copied: 0, announced: 0 });
    expect(await pushes()).toHaveLength(10);
  }, 60_000);

  it('refuses a corrupted blob by digest, lists it and exits 1; a missing target is a usage error', async () => {
    const layer = files.find((f) => f.format === 'maven')!;
    await writeFile(path.join(source.dataDir, layer.blobPath), 'not the bytes that were pushed');
    const target = await mkdtemp(path.join(work, 'fs-'));
    const result = await runNora(['migrate', '--data-dir', source.dataDir, '--to-data-dir', target, '--json']);
    expect(result.code).toBe(1);
    const report = resultOf(result.stdout);
    expect(report.failed.map((f) => f.key)).toEqual([layer.blobPath]);
    expect(existsSync(path.join(target, layer.blobPath))).toBe(false);
    expect((await readdir(path.join(target, 'repos'))).length).toBeGreaterThan(0);
    expect((await runNora(['migrate', '--data-dir', source.dataDir])).code).toBe(2);
  });
});
