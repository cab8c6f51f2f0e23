// Replication benchmark, `nora replicate` side by side with `skopeo sync` in one run, both
// copying the same content from one Debian docker-registry (CNCF distribution) to a fresh one
// each: one image with a 1 GiB layer, then 200 small images (tags of one repository, each with
// its own layer). Reports wall time, throughput and peak RSS (/usr/bin/time) per tool and the
// NORA/skopeo ratios as a markdown table. Not a test: `node scripts/bench/replicate.mjs`
// (uses dist/nora.cjs, building it if missing, or NORA_BIN). BENCH_BLOB_MIB and
// BENCH_SMALL_IMAGES change the sizes. NORA_BEFORE_BIN (an executable, e.g. a wrapper running an
// older dist/nora.cjs) adds a third column in the same interleaved run: before and after side by side.
//
// Peak RSS of the 1 GiB copy (issue 16), 2 cores shared with other jobs (load in brackets):
//   before the scavenge pacer (src/lib/streams/scavenge-pacer.ts): NORA 160 MiB, skopeo 37 MiB.
//   256 MiB layer, same run [load 25]: before 168 MiB, after 126 MiB, skopeo 36 MiB; ~110 MiB
//   of it is `nora replicate` before any byte moves (a run of 2 small images peaks at 112 MiB).
//   1 GiB layer + 50 small images, one interleaved run with NORA_BEFORE_BIN [load 23.7]:
//     1 GiB: skopeo 61.3 s / 36 MiB, NORA after 18.3 s / 132 MiB, NORA before 25.5 s / 180 MiB;
//     50 small: skopeo 14.2 s / 48 MiB, NORA 10.2 s / 123 MiB (before 9.0 s / 123 MiB);
//     re-run (all present): skopeo 4.1 s, NORA 2.6 s (before 3.5 s), 113 MiB either.
//   What is left above skopeo is the process itself: node alone is 40 MiB, the bundle loaded 90.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MiB = 1024 * 1024;
const BLOB_SIZE = Number(process.env.BENCH_BLOB_MIB ?? 1024) * MiB;
const SMALL = Number(process.env.BENCH_SMALL_IMAGES ?? 200);

const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

async function startDistribution(dir, name) {
  const port = await freePort();
  const config = path.join(dir, `${name}.yml`);
  await writeFile(config, ['version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:', `    rootdirectory: ${path.join(dir, name)}`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'));
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const { statusCode, body } = await request(`${url}/v2/`);
      await body.dump();
      if (statusCode === 200) return { url, host: `127.0.0.1:${port}`, child };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry ${name} did not start`);
}

const sha = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function call(url, options, expected) {
  const response = await request(url, options);
  const text = await response.body.text();
  if (response.statusCode !== expected) throw new Error(`${options.method} ${url}: ${response.statusCode} ${text.slice(0, 300)}`);
  return response;
}

/** Streams a blob into `repo` (POST, PATCH with the bytes, PUT with the digest); never whole in memory. */
async function pushBlob(base, repo, size, piece) {
  const hash = createHash('sha256');
  const opened = await call(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' }, 202);
  let location = new URL(opened.headers.location, base).toString();
  const body = Readable.from((function* () {
    for (let left = size; left > 0; left -= piece) {
      const chunk = randomBytes(Math.min(left, piece));
      hash.update(chunk);
      yield chunk;
    }
  })());
  const patched = await call(location, { method: 'PATCH', body, headers: { 'content-type': 'application/octet-stream' } }, 202);
  location = new URL(patched.headers.location, base).toString();
  const digest = `sha256:${hash.digest('hex')}`;
  await call(`${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`, { method: 'PUT' }, 201);
  return { digest, size };
}

async function pushImage(base, repo, tag, layer) {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] }, tag }));
  const configDigest = sha(config);
  const opened = await call(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' }, 202);
  const location = new URL(opened.headers.location, base).toString();
  await call(`${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(configDigest)}`, { method: 'PUT', body: config, headers: { 'content-type': 'application/octet-stream' } }, 201);
  const manifest = JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.size }],
  });
  await call(`${base}/v2/${repo}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } }, 201);
}

/** Runs a command under /usr/bin/time; wall seconds and peak RSS in MiB. */
async function measure(cmd, args, env = process.env) {
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', cmd, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`);
  return { seconds, rssMiB: Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024 };
}

async function main() {
  const bin = process.env.NORA_BIN;
  if (!bin && !existsSync(path.join(ROOT, 'dist', 'nora.cjs'))) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const nora = bin ? [path.resolve(bin)] : [process.execPath, path.join(ROOT, 'dist', 'nora.cjs')];
  const before = process.env.NORA_BEFORE_BIN ? [path.resolve(process.env.NORA_BEFORE_BIN)] : undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-bench-replicate-'));
  const registries = [];
  try {
    const source = await startDistribution(dir, 'source');
    const forSkopeo = await startDistribution(dir, 'skopeo-target');
    const forNora = await startDistribution(dir, 'nora-target');
    const forBefore = before ? await startDistribution(dir, 'before-target') : undefined;
    registries.push(source, forSkopeo, forNora, ...(forBefore ? [forBefore] : []));
    const home = path.join(dir, 'home');
    await writeFile(path.join(dir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    const skopeoEnv = { PATH: process.env.PATH, HOME: dir, REGISTRY_AUTH_FILE: path.join(dir, 'auth.json'), CONTAINERS_REGISTRIES_CONF: path.join(dir, 'none.conf') };
    const noraEnv = { PATH: process.env.PATH, HOME: home, DOCKER_CONFIG: path.join(home, '.docker') };
    await writeFile(path.join(dir, 'none.conf'), '');

    process.stderr.write(`seeding: one ${BLOB_SIZE / MiB} MiB layer, ${SMALL} small images...\n`);
    const big = await pushBlob(source.url, 'big/app', BLOB_SIZE, 4 * MiB);
    await pushImage(source.url, 'big/app', '1', big);
    for (let i = 0; i < SMALL; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, SMALL - i) }, async (_, k) => {
        const layer = await pushBlob(source.url, 'small/app', 32 * 1024, 32 * 1024);
        await pushImage(source.url, 'small/app', `t${i + k}`, layer);
      }));
    }

    const skopeo = (repo) => measure('skopeo', ['--policy', path.join(dir, 'policy.json'), 'sync', '--src', 'docker', '--dest', 'docker', '--src-tls-verify=false', '--dest-tls-verify=false', `${source.host}/${repo}`, `${forSkopeo.host}/${repo.split('/')[0]}`], skopeoEnv);
    const replicateWith = (cmd, target) => (repo) => measure(cmd[0], [...cmd.slice(1), 'replicate', '--json', '--from', `${source.url}/${repo}`, '--to', `${target.url}/${repo}`], noraEnv);
    const replicate = replicateWith(nora, forNora);
    const replicateBefore = before ? replicateWith(before, forBefore) : async () => undefined;
    const rows = [];
    for (const [label, repo, bytes] of [[`1 image, ${BLOB_SIZE / MiB} MiB layer`, 'big/app', BLOB_SIZE], [`${SMALL} small images`, 'small/app', SMALL * 33 * 1024]]) {
      process.stderr.write(`${label}: skopeo sync...\n`);
      const s = await skopeo(repo);
      process.stderr.write(`${label}: nora replicate...\n`);
      const n = await replicate(repo);
      if (before) process.stderr.write(`${label}: nora replicate (before)...\n`);
      const b = await replicateBefore(repo);
      rows.push({ label, s, n, b, bytes });
    }
    // A re-run of both: what each does when everything is already there.
    const sAgain = await skopeo('small/app');
    const nAgain = await replicate('small/app');
    const bAgain = await replicateBefore('small/app');
    rows.push({ label: `${SMALL} small images, re-run (all present)`, s: sAgain, n: nAgain, b: bAgain, bytes: 0 });

    const extra = before ? ' nora before s | before peak RSS MiB |' : '';
    const lines = [
      `load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`,
      `| run | skopeo sync s | nora replicate s | time ratio (NORA/skopeo) | skopeo MB/s | NORA MB/s | skopeo peak RSS MiB | NORA peak RSS MiB |${extra}`,
      `|---|---|---|---|---|---|---|---|${before ? '---|---|' : ''}`,
      ...rows.map(({ label, s, n, b, bytes }) => `| ${label} | ${s.seconds.toFixed(2)} | ${n.seconds.toFixed(2)} | ${(n.seconds / s.seconds).toFixed(2)} | ${bytes ? (bytes / MiB / s.seconds).toFixed(0) : '-'} | ${bytes ? (bytes / MiB / n.seconds).toFixed(0) : '-'} | ${s.rssMiB.toFixed(0)} | ${n.rssMiB.toFixed(0)} |${b ? ` ${b.seconds.toFixed(2)} | ${b.rssMiB.toFixed(0)} |` : ''}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const r of registries) r.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
