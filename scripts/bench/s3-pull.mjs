// S3 blob pulls (issue 23): one blob on a bucket of a real Ceph RGW (rgw.mjs), pulled with curl
// through NORA (the bytes stream through the server) and through NORA's presigned redirect
// (storage.s3.redirect: a 307 to the bucket, curl -L follows it), two `nora serve` on the same
// bucket, rounds interleaved. Reports MB/s and NORA's CPU per GiB for each way; context figures
// (what the redirect saves), no target. Not a test: `npm run bench:s3` (dist/nora.cjs, or NORA_BIN).
// BENCH_S3_BLOB_MIB sets the blob size (128; RGW here is an in-memory 1 GiB OSD), BENCH_ROUNDS
// the rounds (3); BENCH_QUICK=1: 32 MiB, 2 rounds.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { request } from 'undici';
import { figure, report } from './figures.mjs';
import { startRgw, startS3Nora } from './rgw.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MiB = 1024 * 1024;
const QUICK = process.env.BENCH_QUICK === '1';
const SIZE = Number(process.env.BENCH_S3_BLOB_MIB ?? (QUICK ? 32 : 128)) * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 2 : 3));
const REPO = 'bench/s3';

function startNora(rgw, bucket, dir, redirect) {
  const bin = process.env.NORA_BIN;
  if (!bin && !existsSync(path.join(ROOT, 'dist', 'nora.cjs'))) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  // The bundle runs with the V8 flags the binary bakes in (sea-config.json).
  const flags = JSON.parse(readFileSync(path.join(ROOT, 'sea-config.json'), 'utf8')).execArgv ?? [];
  const command = bin && !bin.endsWith('.cjs') ? [path.resolve(bin)] : [process.execPath, ...flags, bin ? path.resolve(bin) : path.join(ROOT, 'dist', 'nora.cjs')];
  return startS3Nora(command, rgw, bucket, dir, { NORA_LOG_LEVEL: 'error', NORA_STORAGE_S3_REDIRECT: String(redirect) });
}

async function pushBlob(url, bytes, digest) {
  const open = await request(`${url}/v2/${REPO}/blobs/uploads/`, { method: 'POST' });
  await open.body.dump();
  const location = new URL(open.headers.location, url);
  location.searchParams.set('digest', digest);
  const put = await request(location.toString(), { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) } });
  const text = await put.body.text();
  if (put.statusCode !== 201) throw new Error(`blob push: ${put.statusCode} ${text}`);
}

/** curl pulls the blob (following a redirect); checks the status and the byte count. */
function curlPull(url, digest) {
  const out = execFileSync('curl', ['-sS', '-L', '-o', '/dev/null', '-w', '%{http_code} %{size_download} %{num_redirects}', `${url}/v2/${REPO}/blobs/${digest}`], { encoding: 'utf8' });
  return out;
}

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-bench-s3-'));
  let rgw;
  const servers = [];
  try {
    rgw = await startRgw(dir);
    const bucket = 'bench-s3-pull';
    const s3 = new S3Client({ region: 'us-east-1', endpoint: rgw.endpoint, forcePathStyle: true, credentials: rgw.credentials });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
    const proxied = { name: 'through NORA', redirects: 0, ...(await startNora(rgw, bucket, path.join(dir, 'proxy'), false)) };
    servers.push(proxied);
    const redirected = { name: 'presigned redirect', redirects: 1, ...(await startNora(rgw, bucket, path.join(dir, 'redirect'), true)) };
    servers.push(redirected);
    const bytes = randomBytes(SIZE);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    await pushBlob(proxied.url, bytes, digest);
    process.stderr.write(`bench:s3 — ${SIZE / MiB} MiB blob on Ceph RGW x ${ROUNDS} rounds\n`);
    const times = new Map(servers.map((s) => [s, []]));
    const cpu = new Map(servers.map((s) => [s, 0]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of servers) {
        const before = cpuSeconds(server.child.pid);
        const started = performance.now();
        const out = curlPull(server.url, digest);
        times.get(server).push((performance.now() - started) / 1000);
        cpu.set(server, cpu.get(server) + cpuSeconds(server.child.pid) - before);
        if (out !== `200 ${SIZE} ${server.redirects}`) throw new Error(`${server.name}: curl says "${out}", expected "200 ${SIZE} ${server.redirects}"`);
      }
    }
    const rate = (s) => SIZE / MiB / median(times.get(s));
    const cpuPerGiB = (s) => (cpu.get(s) * 1000) / ((ROUNDS * SIZE) / 1024 ** 3);
    const size = `${SIZE / MiB} MiB`;
    report('S3 blob pulls (bench:s3)', [
      figure(`S3 blob pull ${size}, curl, through NORA (MB/s)`, rate(proxied), rate(redirected), redirected.name),
      figure('NORA CPU per GiB pulled from S3 (ms)', cpuPerGiB(proxied), cpuPerGiB(redirected), redirected.name),
    ], `Ceph RGW (memstore OSD) on this machine; two nora serve on one bucket, storage.s3.redirect off and on; medians of ${ROUNDS} interleaved rounds.`);
  } finally {
    for (const server of servers) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
      await exited;
    }
    await rgw?.stop().catch((error) => console.error(`stopping RGW: ${error.message}`));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
