// TLS benchmark: what built-in HTTPS ([server.tls]) costs on OCI manifest GETs, side by side with
// plain HTTP in the same run. Two `node dist/nora.cjs serve` processes (memory store), one plain and
// one with a certificate from a throwaway openssl CA (P-256); the same image pushed into each; then
// per server, sequentially from this process:
//   - keep-alive: N GETs of the manifest over one reused connection (TLS cost per request after
//     the handshake: record encryption only);
//   - new connection: N GETs, each on a fresh connection (a full TCP + TLS 1.3 handshake each).
// Figures: median and p90 latency, and the server's CPU time per request (user+sys from
// /proc/<pid>/stat; it barely moves when other jobs share the machine, unlike wall time).
//
//   npm run bench:tls [-- N]     (default N = 2000; dist/nora.cjs is built first)
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const N = Number(process.argv[2] ?? 2000);
const work = mkdtempSync(path.join(os.tmpdir(), 'nora-bench-tls-'));
const openssl = (...args) => execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });

function makeCerts() {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=bench CA');
  writeFileSync(path.join(work, 'leaf.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1');
  openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'leaf.ext', '-out', 'leaf.crt');
  return { ca: readFileSync(path.join(work, 'ca.crt')), cert: path.join(work, 'leaf.crt'), key: path.join(work, 'leaf.key') };
}

async function start(name, env) {
  const dataDir = path.join(work, name);
  mkdirSync(dataDir);
  const child = spawn(process.execPath, [path.join(root, 'dist', 'nora.cjs'), 'serve', '--port', '0', '--storage', 'memory', '--data-dir', dataDir], {
    env: { PATH: process.env.PATH, ...env, NORA_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d;
      const m = /"url":"(https?:\/\/[^"]+)"[^\n]*"msg":"listening"/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}:\n${out}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  return { name, url, child };
}

const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime+stime in clock ticks (USER_HZ 100)
};

function request(url, { method = 'GET', body, headers = {}, agent, ca }) {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, headers, agent, ...(ca ? { ca } : {}) }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const digest = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function push(server, ca) {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = Buffer.from('bench layer');
  for (const blob of [config, layer]) {
    const r = await request(`${server.url}/v2/bench/app/blobs/uploads/?digest=${digest(blob)}`, { method: 'POST', body: blob, headers: { 'content-type': 'application/octet-stream', 'content-length': blob.length }, ca });
    if (r.status !== 201) throw new Error(`blob upload: ${r.status} ${r.body}`);
  }
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digest(layer), size: layer.length }] }));
  const r = await request(`${server.url}/v2/bench/app/manifests/v1`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, ca });
  if (r.status !== 201) throw new Error(`manifest put: ${r.status} ${r.body}`);
}

async function run(server, ca, keepAlive) {
  const mod = server.url.startsWith('https:') ? https : http;
  const agent = new mod.Agent({ keepAlive, maxSockets: 1, ...(ca ? { ca } : {}) });
  const url = `${server.url}/v2/bench/app/manifests/v1`;
  const headers = { accept: 'application/vnd.oci.image.manifest.v1+json' };
  for (let i = 0; i < 50; i++) await request(url, { headers, agent, ca }); // warm-up
  const times = [];
  const cpu0 = cpuMs(server.child.pid);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    const r = await request(url, { headers, agent, ca });
    if (r.status !== 200) throw new Error(`GET manifest: ${r.status}`);
    times.push(performance.now() - s);
  }
  const wall = performance.now() - t0;
  const cpu = cpuMs(server.child.pid) - cpu0;
  agent.destroy();
  times.sort((a, b) => a - b);
  return { median_ms: times[Math.floor(N / 2)], p90_ms: times[Math.floor(N * 0.9)], req_per_s: (N * 1000) / wall, server_cpu_us_per_req: (cpu * 1000) / N };
}

const certs = makeCerts();
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const plain = await start('plain', {});
const tls = await start('tls', { NORA_SERVER_TLS_CERT_FILE: certs.cert, NORA_SERVER_TLS_KEY_FILE: certs.key });
try {
  await push(plain);
  await push(tls, certs.ca);
  const results = {};
  for (const mode of ['keep-alive', 'new connection']) {
    results[mode] = { http: await run(plain, undefined, mode === 'keep-alive'), https: await run(tls, certs.ca, mode === 'keep-alive') };
  }
  const f = (x) => x.toFixed(2);
  console.log(`\nTLS overhead on GET /v2/<name>/manifests/<tag>, ${N} sequential requests each, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores\n`);
  console.log('| connection | protocol | median ms | p90 ms | req/s | server CPU µs/req |');
  console.log('|---|---|---|---|---|---|');
  for (const [mode, r] of Object.entries(results)) {
    for (const proto of ['http', 'https']) console.log(`| ${mode} | ${proto} | ${f(r[proto].median_ms)} | ${f(r[proto].p90_ms)} | ${r[proto].req_per_s.toFixed(0)} | ${r[proto].server_cpu_us_per_req.toFixed(0)} |`);
    console.log(`| ${mode} | ratio https/http | ${f(r.https.median_ms / r.http.median_ms)}× | ${f(r.https.p90_ms / r.http.p90_ms)}× | ${f(r.https.req_per_s / r.http.req_per_s)}× | ${f(r.https.server_cpu_us_per_req / r.http.server_cpu_us_per_req)}× |`);
  }
  mkdirSync(path.join(root, '.bench'), { recursive: true });
  writeFileSync(path.join(root, '.bench', 'tls.json'), JSON.stringify({ n: N, loadavg: os.loadavg(), results }, null, 2));
} finally {
  plain.child.kill('SIGTERM');
  tls.child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
