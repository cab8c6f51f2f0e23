// Two NORA processes on one store (one data directory) take concurrent publishes of one tenant:
// admission holds the bytes in the tenant's usage document by compare-and-swap, so the quota is
// never exceeded at all (by 0 bytes, not merely by at most one artifact): with room for exactly
// ten 1,000-byte versions, exactly ten of thirty concurrent publishes land. `nora usage --recount`
// rebuilds the same figure from the metadata, and `nora usage` prints it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarballBytes } from '../../helpers/npm-fixtures.js';
import { publish } from '../../helpers/npm-http.js';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';

const SIZE = 1000;
let dir: string;
let configFile: string;
let servers: NoraServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-two-servers-'));
  configFile = path.join(dir, 'nora.toml');
  await writeFile(configFile, `[[tenants]]\nname = "web"\nstorage_quota = "${10 * SIZE}B"\n`);
  const data = path.join(dir, 'data');
  await mkdir(data);
  const env = { NORA_NPM_UPSTREAM: '' };
  servers = [await startNora({ dataDir: data, args: ['--config', configFile], env }), await startNora({ dataDir: data, args: ['--config', configFile], env })];
}, 60_000);
afterAll(async () => {
  for (const server of servers) await server.stop({ keepData: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('two servers, one store, one quota', { timeout: 120_000 }, () => {
  it('admits exactly what fits: 10 of 30 concurrent publishes, usage exactly the quota', async () => {
    const attempts = Array.from({ length: 30 }, (_, i) => publish(servers[i % 2]!.url, '@web/app', { version: `1.0.${i}`, tarball: tarballBytes(`v${i}`, SIZE) }));
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 403)).toHaveLength(20);

    for (const server of servers) {
      const usage = await (await fetch(`${server.url}/api/usage/web`)).json() as { used: number; quota: number; held: number; artifacts: unknown };
      expect(usage).toMatchObject({ used: 10 * SIZE, quota: 10 * SIZE, held: 0, artifacts: { npm: { names: 1, versions: 10 } } });
    }
    // The metadata agrees: a recount from the store finds the same bytes.
    const recount = await runNora(['usage', '--recount', '--config', configFile, '--data-dir', path.join(dir, 'data'), '--format', 'tsv']);
    expect(recount.code, recount.stderr).toBe(0);
    expect(recount.stdout).toBe(`web\t${10 * SIZE}\t1\n`);

    const shown = await runNora(['usage', '--server', servers[1]!.url, '--format', 'tsv']);
    expect(shown.code, shown.stderr).toBe(0);
    const [tenant, used, quota, percent] = shown.stdout.trim().split('\t');
    expect([tenant, used, quota, percent]).toEqual(['web', String(10 * SIZE), String(10 * SIZE), '100']);
  });
});
