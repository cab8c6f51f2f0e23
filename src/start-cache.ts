// The start cache of the binary (see src/sea-main.ts): a V8 code cache of the bundle taken after a
// server started and answered, so it holds every function a start compiles. The same compile()
// makes and uses it: V8 accepts a cache only for the very source it was made from.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { openPayloads } from './binary-payloads.js';

/** Payload names (src/binary-payloads.ts): dist/nora.cjs wrapped as a function (wrap()), and the start cache. */
export const BUNDLE_PAYLOAD = 'nora.cjs';
export const START_CACHE_PAYLOAD = 'nora.start-cache';

type ModuleBody = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

/**
 * The bundle as a function expression of a CommonJS module's parameters. The payload holds it so
 * wrapped, so the binary compiles the payload's string as it is: wrapping it at each start would
 * make a second copy of the 2 MB source that stays in the heap until a full GC (idle RssAnon
 * 25.8 instead of 23.9 MiB, measured with bench:startup).
 */
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

function compile(wrapped: string, cachedData?: Uint8Array): vm.Script {
  return new vm.Script(wrapped, { filename: BUNDLE_PAYLOAD, ...(cachedData ? { cachedData } : {}) });
}

/** Runs the compiled bundle as the body of this CommonJS module, with `filename` and `dirname` as its own. */
function runAsThisModule(script: vm.Script, filename: string, dirname: string): void {
  (script.runInThisContext() as ModuleBody)(module.exports, require, module, filename, dirname);
}

/** Inside the binary: runs the bundle payload as this CommonJS module's body, with the start cache when V8 accepts it. */
export function runBundle(): void {
  runAsThisModule(compileBundle(), __filename, __dirname);
}

/** The bundle payload compiled; the payloads' buffers are garbage once this returns (src/binary-payloads.ts). */
function compileBundle(): vm.Script {
  const payloads = openPayloads();
  try {
    const cachedData = payloads.has(START_CACHE_PAYLOAD) ? payloads.read(START_CACHE_PAYLOAD) : undefined;
    const script = compile(payloads.read(BUNDLE_PAYLOAD).toString('utf8'), cachedData);
    // Another Node or other V8 flags (NODE_OPTIONS) reject it, and the start only compiles more;
    // the build checks that its own binary accepts it.
    if (process.env.NORA_CHECK_START_CACHE === '1' && (!cachedData || script.cachedDataRejected)) {
      process.stderr.write(`nora: start cache ${cachedData ? 'rejected' : 'missing'}\n`);
    }
    return script;
  } finally {
    payloads.close();
  }
}

/**
 * `--make-start-cache OUT WRAPPED`, run by the Node (and V8 flags) the binary embeds: writes the
 * bundle beside this file, wrapped, to WRAPPED (the binary's payload), starts `serve` from it on an
 * empty data directory, asks /v2/ and /health, and writes its code cache as it then is to OUT.
 */
export async function makeStartCache(args: string[]): Promise<void> {
  const [flag, out, wrappedOut] = args;
  if (flag !== '--make-start-cache' || !out || !wrappedOut) throw new Error('usage: node dist/sea-main.cjs --make-start-cache OUT WRAPPED (made by scripts/build-binaries.mjs)');
  const bundle = path.join(__dirname, BUNDLE_PAYLOAD);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nora-start-cache-'));
  const port = await freePort();
  // The server as a user starts it: no NORA_* settings of the build's environment.
  for (const key of Object.keys(process.env)) if (key.startsWith('NORA_')) delete process.env[key];
  process.argv = [process.argv[0]!, bundle, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--log-level', 'error'];
  const wrapped = wrap(readFileSync(bundle, 'utf8'));
  writeFileSync(wrappedOut, wrapped);
  const script = compile(wrapped);
  runAsThisModule(script, bundle, path.dirname(bundle));
  try {
    for (const route of ['/v2/', '/health']) await answered(port, route, Date.now() + 120_000);
    writeFileSync(`${out}.partial`, script.createCachedData());
    renameSync(`${out}.partial`, out);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** Waits for a 200 from `route` (the server is starting: refused connections are retried). */
async function answered(port: number, route: string, deadline: number): Promise<void> {
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port, path: route }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      }).on('error', () => resolve(0)).end();
    });
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`the server did not answer ${route} with 200 (last: ${status || 'no connection'})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
