// The binary reads its payloads (src/binary-payloads.ts: the bundle, its start cache, the chunks)
// from the file it was started from. An upgrade that puts another build at the binary's path while
// the old server runs must not make that server load a chunk of the other build, or fail to: the
// first pull-through after the upgrade loads undici and still gets its answer from the upstream.
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startNora, type NoraServer } from '../../helpers/nora-process.js';

describe.skipIf(!process.env.NORA_BIN)('binary payloads', () => {
  let dir: string;
  let upstream: Server;
  const asked: string[] = [];
  let nora: NoraServer | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'nora-payloads-'));
    // An upstream registry that has nothing: every manifest is unknown.
    upstream = createServer((request, response) => {
      asked.push(`${request.method} ${request.url}`);
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const config = path.join(dir, 'nora.toml');
    writeFileSync(config, ['[[docker.upstreams]]', 'name = "hub"', `url = "http://127.0.0.1:${(upstream.address() as AddressInfo).port}"`, 'default = true', 'timeout = "5s"', ''].join('\n'));
    const binary = path.join(dir, 'nora');
    copyFileSync(path.resolve(ROOT, process.env.NORA_BIN!), binary);
    nora = await startNora({ executable: binary, args: ['--config', config] });
    // The upgrade: another file renamed over the running binary's path.
    writeFileSync(path.join(dir, 'nora.new'), 'not this build\n');
    renameSync(path.join(dir, 'nora.new'), binary);
  }, 30_000);

  afterAll(async () => {
    await nora?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a chunk after its path was replaced, from the file it runs', async () => {
    const response = await fetch(`${nora!.url}/v2/library/alpine/manifests/3.19`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    const body = await response.json() as { errors: Array<{ code: string }> };
    expect(asked.some((line) => line.startsWith('GET /v2/library/alpine/manifests/3.19') || line.startsWith('HEAD /v2/library/alpine/manifests/3.19'))).toBe(true);
    expect(response.status).toBe(404);
    expect(body.errors[0]!.code).toBe('MANIFEST_UNKNOWN');
    expect(nora!.logs()).not.toMatch(/carries no payload/);
  });
});
