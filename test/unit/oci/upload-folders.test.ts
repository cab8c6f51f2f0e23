// A finished upload on the fs store removes its own session folder but keeps the repository's
// _uploads/ and the _open-uploads/ folder, which the next upload would only create again.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { loadConfig } from '../../../src/lib/config/loader.js';
import { createServices } from '../../../src/lib/services.js';
import { buildApp } from '../../../src/server/app.js';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true, maxRetries: 3 });
});

test('session folders go, the folders holding them stay', async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'nora-upload-folders-'));
  const { config } = loadConfig({ env: {}, cwd: '/nonexistent-nora-test-dir', flags: { 'storage.backend': 'fs', 'storage.data_dir': root, 'log.level': 'silent' } });
  const services = await createServices(config);
  const app = await buildApp({ services });
  try {
    const bytes = Buffer.from('layer bytes');
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    for (let i = 0; i < 2; i++) {
      const open = await app.inject({ method: 'POST', url: '/v2/team/app/blobs/uploads/' });
      expect(open.statusCode).toBe(202);
      const location = String(open.headers.location);
      const put = await app.inject({ method: 'PUT', url: `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`, payload: bytes, headers: { 'content-type': 'application/octet-stream' } });
      expect(put.statusCode).toBe(201);
      expect(await readdir(path.join(root, 'repos/oci/team/app/_uploads'))).toEqual([]);
      expect(await readdir(path.join(root, 'repos/oci/_open-uploads'))).toEqual([]);
    }
    expect((await app.inject({ method: 'GET', url: `/v2/team/app/blobs/${digest}` })).body).toBe('layer bytes');
  } finally {
    await app.close();
    await services.close();
  }
});
