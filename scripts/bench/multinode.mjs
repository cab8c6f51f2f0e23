// Scale-out benchmark: pushes and publishes per second with 1, 2 and 3 `nora serve` processes on
// one bucket of a Ceph RGW (a real S3 with conditional writes), all in one run on one machine.
// Three clusters (one bucket each) start side by side and the rounds interleave them, so a busy
// neighbour slows all three alike. Each round, per cluster:
//   - OCI pushes: small images (layer, config, manifest) of distinct repositories;
//   - npm publishes of distinct versions of ONE package: every publish rewrites the same
//     document, so they contend on its compare-and-swap (the worst case);
//   - npm publishes of distinct packages (no contention).
// Clients send round-robin over the cluster's nodes, BENCH_CONCURRENCY at a time. After the
// rounds it reads nora_storage_conditional_conflicts_total from every node: the conditional
// writes that lost a race and were retried; then it measures how long a publish or a tag made
// through one node takes to be served by another. On 2 shared cores this is a ratio, not a promise of
// scale. Not a test: `npm run bench:multinode` (dist/nora.cjs, built if missing, or NORA_BIN).
// Sizes: BENCH_ROUNDS (3), BENCH_IMAGES (40), BENCH_PUBLISHES (40), BENCH_CONCURRENCY (12);
// BENCH_QUICK=1 for a smoke run (1 round, 12 of each).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { request } from 'undici';
import { publishBody } from './npm-fixtures.mjs';
import { startRgw, startS3Nora } from './rgw.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const IMAGES = Number(process.env.BENCH_IMAGES ?? (QUICK ? 12 : 40));
const PUBLISHES = Number(process.env.BENCH_PUBLISHES ?? (QUICK ? 12 : 40));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 12);
const PROPAGATION = QUICK ? 5 : 20;
const SIZES = [1, 2, 3];

const noraCommand = () => (process.env.NORA_BIN ? [path.resolve(process.env.NORA_BIN)] : [process.execPath, path.join(ROOT, 'dist', 'nora.cjs')]);

const startNode = (rgw, bucket, dir) => startS3Nora(noraCommand(), rgw, bucket, dir, { NORA_LOG_LEVEL: 'warn', NORA_NPM_UPSTREAM: '' });

async function call(url, options, expected) {
  const response = await request(url, options);
  const text = await response.body.text();
  if (!expected.includes(response.statusCode)) throw new Error(`${options.method} ${url}: ${response.statusCode} ${text.slice(0, 300)}`);
  return response;
}

const sha = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function pushBlob(base, repo, bytes) {
  const digest = sha(bytes);
  const opened = await call(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' }, [202]);
  const location = new URL(opened.headers.location, base).toString();
  await call(`${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } }, [201]);
  return { digest, size: bytes.length };
}

async function pushImage(base, repo) {
  const layer = await pushBlob(base, repo, randomBytes(16 * 1024));
  const config = await pushBlob(base, repo, Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } })));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
  }));
  await call(`${base}/v2/${repo}/manifests/latest`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } }, [201]);
}

async function publish(base, name, version) {
  await call(`${base}/npm/${name.replace('/', '%2f')}`, { method: 'PUT', body: JSON.stringify(publishBody(name, version)), headers: { 'content-type': 'application/json' } }, [200, 201]);
}

/** Runs `count` jobs, CONCURRENCY at a time, job i against node i mod n; returns jobs per second. */
async function throughput(nodes, count, job) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
    for (let i = next++; i < count; i = next++) await job(nodes[i % nodes.length].url, i);
  }));
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function conflicts(nodes) {
  let total = 0;
  for (const node of nodes) {
    const text = await (await request(`${node.url}/metrics`)).body.text();
    for (const match of text.matchAll(/^nora_storage_conditional_conflicts_total\{[^}]*\} (\d+)/gm)) total += Number(match[1]);
  }
  return total;
}

/**
 * How long a change made through one node takes to show on another: after each write is
 * acknowledged, GETs on the other node at once, again and again, until it shows. Returns the
 * milliseconds per change and how many showed at the first GET.
 */
async function propagation(nodes, count, write, visible) {
  const times = [];
  let first = 0;
  for (let i = 0; i < count; i++) {
    await write(nodes[0].url, i);
    const acknowledged = process.hrtime.bigint();
    for (let tries = 1; ; tries++) {
      if (await visible(nodes[nodes.length - 1].url, i)) {
        if (tries === 1) first++;
        break;
      }
      if (tries > 10_000) throw new Error('a change never reached the other node');
    }
    times.push(Number(process.hrtime.bigint() - acknowledged) / 1e6);
  }
  return { median: median(times), max: Math.max(...times), first, count };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  if (!process.env.NORA_BIN && !existsSync(path.join(ROOT, 'dist', 'nora.cjs'))) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-bench-multinode-'));
  const loads = [os.loadavg()[0]];
  let rgw;
  const clusters = [];
  try {
    rgw = await startRgw(dir);
    const s3 = new S3Client({ region: 'us-east-1', endpoint: rgw.endpoint, forcePathStyle: true, credentials: rgw.credentials });
    for (const size of SIZES) {
      const bucket = `bench-${size}-${randomUUID().slice(0, 8)}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const nodes = [];
      for (let i = 0; i < size; i++) nodes.push(await startNode(rgw, bucket, path.join(dir, `${bucket}-${i}`)));
      clusters.push({ size, nodes, pushes: [], contended: [], distinct: [] });
    }
    s3.destroy();
    for (let round = 0; round < ROUNDS; round++) {
      for (const cluster of clusters) {
        cluster.pushes.push(await throughput(cluster.nodes, IMAGES, (url, i) => pushImage(url, `bench/r${round}-img${i}`)));
        cluster.contended.push(await throughput(cluster.nodes, PUBLISHES, (url, i) => publish(url, 'bench-shared', `${round}.0.${i}`)));
        cluster.distinct.push(await throughput(cluster.nodes, PUBLISHES, (url, i) => publish(url, `bench-r${round}-p${i}`, '1.0.0')));
        loads.push(os.loadavg()[0]);
      }
    }
    for (const cluster of clusters) cluster.conflicts = await conflicts(cluster.nodes);
    const three = clusters.at(-1).nodes;
    const npmSeen = await propagation(three, PROPAGATION, (url, i) => publish(url, 'bench-propagation', `1.0.${i}`), async (url, i) => {
      const response = await request(`${url}/npm/bench-propagation`);
      const text = await response.body.text();
      return response.statusCode === 200 && Object.hasOwn(JSON.parse(text).versions, `1.0.${i}`);
    });
    const tagSeen = await propagation(three, PROPAGATION, (url, i) => pushImage(url, `bench/propagation${i}`), async (url, i) => {
      const response = await request(`${url}/v2/bench/propagation${i}/manifests/latest`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      await response.body.dump();
      return response.statusCode === 200;
    });
    const one = clusters[0];
    console.log(`\nScale-out on one RGW bucket: median of ${ROUNDS} interleaved rounds, ${IMAGES} images and ${PUBLISHES} publishes per round, ${CONCURRENCY} clients round-robin over the nodes`);
    console.log(`(Node ${process.version}, ${os.cpus().length} cores, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; RGW and every node on this machine)\n`);
    console.log('| nodes | OCI pushes/s | npm publishes/s, one package | npm publishes/s, distinct packages | conditional-write retries (all rounds) |');
    console.log('|---|---|---|---|---|');
    for (const c of clusters) {
      const ratio = (values, base) => `${median(values).toFixed(1)} (${(median(values) / median(base)).toFixed(2)}x)`;
      console.log(`| ${c.size} | ${ratio(c.pushes, one.pushes)} | ${ratio(c.contended, one.contended)} | ${ratio(c.distinct, one.distinct)} | ${c.conflicts} over ${ROUNDS * PUBLISHES} one-package publishes |`);
    }
    console.log(`\nA change made through node 1, read through node ${three.length} right after the write was acknowledged (${PROPAGATION} changes each):\n`);
    console.log('| change | visible at the first read | median ms to visible | max ms |');
    console.log('|---|---|---|---|');
    for (const [what, seen] of [['npm version published', npmSeen], ['OCI tag pushed', tagSeen]]) {
      console.log(`| ${what} | ${seen.first}/${seen.count} | ${seen.median.toFixed(1)} | ${seen.max.toFixed(1)} |`);
    }
  } finally {
    for (const cluster of clusters) for (const node of cluster.nodes) node.child.kill('SIGTERM');
    await Promise.all(clusters.flatMap((c) => c.nodes.map((node) => (node.child.exitCode === null ? new Promise((resolve) => node.child.once('exit', resolve)) : undefined))));
    await rgw?.stop().catch((error) => console.error(`stopping RGW: ${error.message}`));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
