// Bundled and run by scripts/bench/ui.mjs: fills an fs store with BENCH_REPOS OCI repositories
// (one tag each, pushed over the OCI API through inject), then times the server side of UI pages
// (fastify inject: routing, access filtering, the format services, rendering; no sockets) with
// access control off and on (a user whose rules allow `pull:*`, so every name is checked), next to
// the same data's protocol listings in the same run: /v2/_catalog?n=50 (one page) and
// /api/artifacts?type=oci (every tag). Prints one JSON line.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { loadConfig } from '../../src/lib/config/loader.js';
import { pageNames } from '../../src/lib/formats/page-names.js';
import { createServices } from '../../src/lib/services.js';
import { MemoryStore } from '../../src/lib/storage/memory-store.js';
import { buildApp } from '../../src/server/app.js';

const REPOS = Number(process.env.BENCH_REPOS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
// BENCH_STORE=memory: one in-memory store shared by every server of the run, to tell the UI's own
// cost apart from the fs listing's.
const MEMORY = process.env.BENCH_STORE === 'memory' ? new MemoryStore() : undefined;
const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A server on the store in `dataDir`; with `htpasswd`, access control is on. */
async function serve(dataDir: string, htpasswd?: string) {
  const flags: Record<string, string | boolean> = { 'storage.data_dir': dataDir, 'log.level': 'silent' };
  const { config } = loadConfig({ env: {}, cwd: '/nonexistent-nora-bench', flags });
  config.npm.upstreams = [];
  if (htpasswd) Object.assign(config.auth, { enabled: true, htpasswd_file: htpasswd, anonymous: [], rules: [{ subject: 'reader', permissions: ['pull:*'] }, { subject: 'writer', permissions: ['admin:*'] }] });
  const services = await createServices(config, { pullFlushMs: 0, ...(MEMORY ? { store: MEMORY } : {}) });
  const app = await buildApp({ services });
  return { app, services, close: async () => { await app.close(); await services.close(); } };
}

/** Pushes REPOS repositories of one tag each over the OCI API. */
async function fill(dataDir: string): Promise<void> {
  const filler = await serve(dataDir);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { bench: 'ui' } } }));
  const layer = Buffer.from('bench layer');
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }],
  }));
  for (let i = 0; i < REPOS; i++) {
    const name = `team${i % 100}/app${String(i).padStart(5, '0')}`;
    for (const blob of [config, layer]) {
      const res = await filler.app.inject({ method: 'POST', url: `/v2/${name}/blobs/uploads/?digest=${sha(blob)}`, payload: blob, headers: { 'content-type': 'application/octet-stream' } });
      if (res.statusCode !== 201) throw new Error(`blob upload: ${res.statusCode} ${res.body}`);
    }
    const res = await filler.app.inject({ method: 'PUT', url: `/v2/${name}/manifests/1.0`, payload: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    if (res.statusCode !== 201) throw new Error(`manifest: ${res.statusCode} ${res.body}`);
  }
  await filler.close();
}

/**
 * The UI's own cost at REPOS names: the OCI service's listNames answers from a sorted array
 * through the same pageNames the services use, so no store listing is timed. Medians in ms.
 */
async function renderOnly(htpasswd: string): Promise<Record<string, { off: number; on: number }>> {
  const names = Array.from({ length: REPOS }, (_, i) => `team${i % 100}/app${String(i).padStart(5, '0')}`).sort();
  const out: Record<string, { off: number; on: number }> = {};
  for (const auth of [false, true]) {
    const server = await serve(path.join(path.dirname(htpasswd), 'render-only'), auth ? htpasswd : undefined);
    server.services.formats.oci.listNames = (options = {}) => pageNames(names, options);
    const headers = auth ? { authorization: `Basic ${Buffer.from('reader:reader-pw').toString('base64')}` } : {};
    for (const [label, url] of Object.entries({ 'images, first page': '/ui/oci', 'images, page 100': '/ui/oci?after=team50%2Fapp05000', 'search "app0999"': '/ui/search?q=app0999', 'filter "app0"': '/ui/oci?q=app0' })) {
      const times: number[] = [];
      for (let round = 0; round < ROUNDS + 2; round++) {
        const t0 = process.hrtime.bigint();
        const res = await server.app.inject({ url, headers });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
        if (round >= 2) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      out[label] = { ...(out[label] ?? { off: 0, on: 0 }), [auth ? 'on' : 'off']: times[Math.floor(times.length / 2)]! };
    }
    await server.close();
  }
  return out;
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'nora-bench-ui-'));
  // BENCH_DATA_DIR: reuse (or keep, for the next run) a filled store; filling 10,000 takes minutes.
  const dataDir = process.env.BENCH_DATA_DIR ?? path.join(work, 'data');
  const filled = !MEMORY && existsSync(path.join(dataDir, 'repos'));
  const htpasswd = path.join(work, 'htpasswd');
  writeFileSync(htpasswd, `reader:${bcrypt.hashSync('reader-pw', 4)}\nwriter:${bcrypt.hashSync('writer-pw', 4)}\n`);
  try {
    if (process.env.BENCH_RENDER_ONLY === '1') {
      console.log(JSON.stringify({ repos: REPOS, rounds: ROUNDS, renderOnly: await renderOnly(htpasswd) }));
      return;
    }
    const start = Date.now();
    if (!filled) await fill(dataDir);
    const fillSeconds = (Date.now() - start) / 1000;

    const urls = {
      'UI: images, first page': '/ui/oci',
      'UI: images, page 100': '/ui/oci?after=team50%2Fapp05000',
      'UI: search "app0999"': '/ui/search?q=app0999',
      'UI: overview': '/ui/',
      'UI: repository': '/ui/oci/package?name=team7%2Fapp00007',
      'UI: image': '/ui/oci/version?name=team7%2Fapp00007&version=1.0',
      'peer: /v2/_catalog?n=50': '/v2/_catalog?n=50',
      'peer: /api/artifacts?type=oci': '/api/artifacts?type=oci',
    };
    const results: Record<string, { off: number; on: number; bytes: number }> = {};
    // BENCH_ONLY=REGEX: only the pages whose label matches (a quick re-run of the slow ones).
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
    for (const auth of [false, true]) {
      const server = await serve(dataDir, auth ? htpasswd : undefined);
      const headers = auth ? { authorization: `Basic ${Buffer.from('reader:reader-pw').toString('base64')}` } : {};
      for (const [label, url] of Object.entries(urls)) {
        if (only && !only.test(label)) continue;
        const times: number[] = [];
        let bytes = 0;
        for (let round = 0; round < ROUNDS + 2; round++) {
          const t0 = process.hrtime.bigint();
          const res = await server.app.inject({ url, headers });
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          bytes = res.rawPayload.length;
          if (round >= 2) times.push(ms); // two warm-up rounds (JIT, first reads)
        }
        times.sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)]!;
        process.stderr.write(`${label} (auth ${auth ? 'on' : 'off'}): ${median.toFixed(1)} ms\n`);
        results[label] = { ...(results[label] ?? { off: 0, on: 0 }), [auth ? 'on' : 'off']: median, bytes };
      }
      await server.close();
    }
    console.log(JSON.stringify({ repos: REPOS, rounds: ROUNDS, fillSeconds, results }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
