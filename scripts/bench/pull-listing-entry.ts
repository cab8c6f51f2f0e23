// Bundled and run by scripts/bench/pull-listing.mjs: the cost pull documents add to listings.
// listVersions reads one pull document per name (stored counts, merged with this process's
// pending ones). Times listVersions over N Maven names that have no pull document and over N
// that have one, on the fs store and on the memory store (where a read is nearly free).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/lib/config/index.js';
import { createServices } from '../../src/lib/services.js';
import { buildApp } from '../../src/server/app.js';

const NAMES = Number(process.env.BENCH_NAMES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function timeList(list: (name: string) => Promise<unknown[]>, names: string[]): Promise<number> {
  const start = process.hrtime.bigint();
  for (const name of names) await list(name);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function measure(backend: 'fs' | 'memory'): Promise<{ backend: string; withoutMs: number; withMs: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nora-bench-pulls-'));
  const { config } = loadConfig({ env: {}, cwd: dir, flags: { 'storage.backend': backend, 'storage.data_dir': dir, 'log.level': 'silent' } });
  const services = await createServices(config, { pullFlushMs: 0 });
  const app = await buildApp({ services });
  try {
    // Two sets of N names: `unpulled` never pulled (no pull document), `pulled` each pulled once
    // and flushed (one document per name). Rounds alternate between them, so warm-up and load
    // changes fall on both alike; each side keeps its best round.
    const unpulled: string[] = [];
    const pulled: string[] = [];
    for (let i = 0; i < 2 * NAMES; i++) {
      const url = `/maven2/org/bench/a${i}/1.0/a${i}-1.0.jar`;
      const put = await app.inject({ method: 'PUT', url, payload: `jar ${i}` });
      if (put.statusCode !== 201) throw new Error(`deploy ${url}: ${put.statusCode} ${put.body}`);
      if (i % 2 === 0) unpulled.push(`org.bench:a${i}`);
      else {
        const get = await app.inject({ url });
        if (get.statusCode !== 200) throw new Error(`pull ${url}: ${get.statusCode}`);
        pulled.push(`org.bench:a${i}`);
      }
    }
    await services.pulls.flush();
    const maven = services.formats.maven;
    const [none, one] = [await maven.listVersions(unpulled[0]!), await maven.listVersions(pulled[0]!)];
    if (none[0]?.pulls !== 0 || one[0]?.pulls !== 1) throw new Error(`expected 0 and 1 stored pulls, got ${JSON.stringify([none[0], one[0]])}`);
    let withoutMs = Infinity;
    let withMs = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      withoutMs = Math.min(withoutMs, await timeList((name) => maven.listVersions(name), unpulled));
      withMs = Math.min(withMs, await timeList((name) => maven.listVersions(name), pulled));
    }
    return { backend, withoutMs, withMs };
  } finally {
    await app.close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results = [await measure('fs'), await measure('memory')];
  console.log(JSON.stringify({ names: NAMES, rounds: ROUNDS, results }));
}

void main();
