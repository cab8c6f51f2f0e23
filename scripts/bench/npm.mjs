// npm benchmark, NORA side by side with Verdaccio in one run (not a test): packument GET req/s
// and p99 at 16 and 64 connections, tarball GET throughput, `npm publish` of a 5 MB package, and
// `npm install` of 50 locally published packages into an empty cache, plus each server's own CPU
// time for those operations. Both servers run at once and every figure is taken for one, then the
// other, so machine load hits both alike. Prints a markdown table with ratios.
// Usage: npm run bench:npm [-- --duration 5 --rounds 5 --installs 5]   (builds dist/ first; about 70 s)
// The table carries the targets of issue 23 (ratio NORA / Verdaccio; under `npm run bench` too).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { publishBody } from './npm-fixtures.mjs';
import { startNoraServer, startVerdaccio } from './npm-servers.mjs';
import { figure, report } from './figures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Pool } = require('undici');
const durationArg = process.argv.indexOf('--duration');
const DURATION = durationArg > 0 ? Number(process.argv[durationArg + 1]) : 5;
const argument = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const ROUNDS = argument('--rounds', 5);
const INSTALLS = argument('--installs', 5);
const PACKAGES = 50;
const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`${command} ${args.join(' ')} failed:\n${output}`))));
  });
}

async function npmEnv(server, dir) {
  const home = path.join(dir, 'home');
  await mkdir(home, { recursive: true });
  const rc = path.join(home, '.npmrc');
  await writeFile(rc, `registry=${server.registry}\n${server.registry.replace(/^http:/, '')}:_authToken=dummy\naudit=false\nfund=false\nupdate-notifier=false\n`);
  await writeFile(path.join(dir, 'globalrc'), '');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...clean, HOME: home, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, npm_config_userconfig: rc, npm_config_globalconfig: path.join(dir, 'globalrc'), npm_config_cache: path.join(dir, 'cache') };
}

/** CPU time (user + system, ms) the process has used so far, from /proc. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function load(url, connections, headers = {}) {
  const result = await autocannon({ url, connections, duration: DURATION, headers, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

/** Bytes per second downloading `url` over `connections` keep-alive connections (autocannon's parser, not the servers, limits big bodies). */
async function download(url, connections) {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections });
  const deadline = Date.now() + DURATION * 1000;
  let bytes = 0;
  const loop = async () => {
    while (Date.now() < deadline) {
      const { statusCode, body } = await pool.request({ path: pathname, method: 'GET' });
      if (statusCode !== 200) throw new Error(`${url}: HTTP ${statusCode}`);
      for await (const chunk of body) bytes += chunk.length;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const seconds = (Date.now() - started) / 1000;
  await pool.close();
  return { rate: bytes / seconds, bytes };
}

async function prepare(server) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `bench-${server.name}-`));
  const env = await npmEnv(server, dir);
  const put = async (name, version, deps) => {
    const response = await fetch(`${server.registry}${name}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: 'Bearer dummy' }, body: JSON.stringify(publishBody(name, version, deps)) });
    if (!response.ok) throw new Error(`seed ${name}: ${response.status} ${await response.text()}`);
  };
  for (let i = 0; i < PACKAGES; i++) await put(`bench-pkg-${i}`, '1.0.0', i > 0 ? { [`bench-pkg-${i - 1}`]: '^1.0.0' } : {});
  const big = path.join(dir, 'big');
  await mkdir(big, { recursive: true });
  // incompressible content, so the tarball really is ~5 MB
  await writeFile(path.join(big, 'blob.bin'), randomBytes(5 * 1024 * 1024));
  return { ...server, dir, env, big, figures: {}, publishTimes: [], installTimes: [], publishCpu: [], installCpu: [] };
}

const PACKUMENT = (s) => `${s.registry}bench-pkg-7`;

async function packuments(s, connections) {
  const result = await load(PACKUMENT(s), connections, { accept: ABBREVIATED });
  s.figures[`packument req/s @${connections}`] = result.requests.average;
  s.figures[`packument p99 ms @${connections}`] = result.latency.p99;
}

async function publishBig(s, version) {
  await writeFile(path.join(s.big, 'package.json'), JSON.stringify({ name: 'bench-big', version }));
  const cpu = cpuMs(s.pid);
  s.publishTimes.push(await run('npm', ['publish'], { cwd: s.big, env: s.env }));
  s.publishCpu.push(cpuMs(s.pid) - cpu);
}

async function tarballs(s) {
  const packument = await (await fetch(`${s.registry}bench-big`)).json();
  const cpu = cpuMs(s.pid);
  const { rate, bytes } = await download(packument.versions['1.0.0'].dist.tarball, 16);
  s.figures['tarball GET MB/s @16'] = rate / 1e6;
  s.figures['server CPU per GB of tarballs (ms)'] = (cpuMs(s.pid) - cpu) / (bytes / 1e9);
}

async function install(s, attempt) {
  const project = path.join(s.dir, `project-${attempt}`);
  await mkdir(project, { recursive: true });
  const dependencies = Object.fromEntries(Array.from({ length: PACKAGES }, (_, i) => [`bench-pkg-${i}`, '1.0.0']));
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies }));
  const cpu = cpuMs(s.pid);
  s.installTimes.push(await run('npm', ['install', '--cache', path.join(s.dir, `empty-cache-${attempt}`), '--no-audit', '--no-fund'], { cwd: project, env: s.env }));
  s.installCpu.push(cpuMs(s.pid) - cpu);
}


execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const started = Date.now();
const servers = [];
try {
  for (const start of [startNoraServer, startVerdaccio]) servers.push(await prepare(await start(root)));
  // Both run side by side; each figure is taken for one, then the other, so drift hits both.
  for (const s of servers) await load(PACKUMENT(s), 16, { accept: ABBREVIATED }); // warm-up
  for (const connections of [16, 64]) for (const s of servers) await packuments(s, connections);
  for (let round = 0; round < ROUNDS; round++) for (const s of servers) await publishBig(s, `1.0.${round}`);
  for (const s of servers) await tarballs(s);
  for (let attempt = 0; attempt < INSTALLS; attempt++) for (const s of servers) await install(s, attempt);
} finally {
  for (const s of servers) { await s.stop(); await rm(s.dir, { recursive: true, force: true }); }
}
const [n, v] = servers;
const peer = 'Verdaccio';
const rows = [];
for (const c of [16, 64]) {
  rows.push(figure(`packument GET c=${c} (req/s)`, n.figures[`packument req/s @${c}`], v.figures[`packument req/s @${c}`], peer, '>= 1.00'));
  rows.push(figure(`packument GET c=${c} p99 (ms)`, n.figures[`packument p99 ms @${c}`], v.figures[`packument p99 ms @${c}`], peer, c === 64 ? '<= 1.00' : '', 1));
}
rows.push(figure('tarball GET c=16 (MB/s)', n.figures['tarball GET MB/s @16'], v.figures['tarball GET MB/s @16'], peer, '>= 1.00'));
rows.push(figure('server CPU per GB of tarballs (ms)', n.figures['server CPU per GB of tarballs (ms)'], v.figures['server CPU per GB of tarballs (ms)'], peer));
rows.push(figure(`npm publish 5 MB, median of ${ROUNDS} (ms)`, median(n.publishTimes), median(v.publishTimes), peer, '<= 1.00'));
rows.push(figure('server CPU per 5 MB publish (ms)', median(n.publishCpu), median(v.publishCpu), peer));
rows.push(figure(`npm install ${PACKAGES} pkgs, empty cache, median of ${INSTALLS} (ms)`, median(n.installTimes), median(v.installTimes), peer, '<= 1.00'));
rows.push(figure(`server CPU per install of ${PACKAGES} (ms)`, median(n.installCpu), median(v.installCpu), peer));
report('npm (bench:npm)', rows, `${DURATION}s per load run; autocannon (packuments) and an undici loop (tarballs) run in-process. Wall times include the npm CLI itself; "server CPU" is the registry process's own user+system time (from /proc), which machine load disturbs far less. Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
