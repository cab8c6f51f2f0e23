// The binary's entry (sea-config.json "main" is built from this file into dist/sea-main.cjs). It runs
// the bundle, carried as the payload nora.cjs (src/binary-payloads.ts), with a V8 code cache made at build time after a
// server had started and answered (src/start-cache.ts). Node's own SEA code cache is made by
// compiling the bundle without running it, so it holds only what V8 compiles eagerly: every
// function a start runs was still compiled on every start. Measured with `npm run bench:startup`
// (10 interleaved rounds, quiet machine): CPU to the first /v2/ 200 360 -> 260 ms, wall 361 -> 275
// ms, for 2.3 MiB more idle VmRSS then (71.5 -> 73.8: the cache's pages and the bytecode it holds;
// issue 23). The cache's 1.6 MB no longer stay resident since it is read with pread, not through
// the binary's mapping.
//
// Run by plain Node instead (`node dist/sea-main.cjs --make-start-cache OUT WRAPPED`), it makes that cache:
// scripts/build-binaries.mjs does so with each binary's own Node and V8 flags.
import { isSea } from 'node:sea';
import { makeStartCache, runBundle } from './start-cache.js';

if (isSea()) runBundle();
else void makeStartCache(process.argv.slice(2));
