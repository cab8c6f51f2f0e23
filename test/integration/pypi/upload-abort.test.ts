// A twine upload whose connection drops halfway leaves nothing in the data directory, and the
// server keeps serving.
import net from 'node:net';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';
import { MARKER_KEY } from '../../../src/lib/storage/store-marker.js';

let nora: NoraServer;
beforeAll(async () => { nora = await startNora(); });
afterAll(async () => { await nora?.stop(); });

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

it('stores nothing when the client disconnects in the middle of the file', async () => {
  const pkg = { name: 'cut-off', version: '1.0' };
  const file = wheel(pkg);
  const big = { filename: file.filename, bytes: Buffer.concat([file.bytes, Buffer.alloc(2_000_000, 1)]) };
  const { body, contentType } = uploadForm(twineFields(pkg, big), big);
  const { port } = new URL(nora.url);
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST /pypi/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body.subarray(0, 1_000_000), () => setTimeout(() => { socket.destroy(); resolve(); }, 200));
    });
    socket.on('error', reject);
  });
  // The server cleans up once it sees the connection gone: wait for that, however slow the machine.
  const left = await eventually(async () => (await filesUnder(nora.dataDir)).filter((f) => !f.startsWith('logs') && f !== MARKER_KEY), (files) => files.length === 0);
  expect(left).toEqual([]);
  const page = await fetch(`${nora.url}/simple/cut-off/`);
  expect(page.status).toBe(404);
});
