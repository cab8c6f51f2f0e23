// The binary's entry (sea-config.json "main" is built from this file into dist/sea-main.cjs). It runs
// the bundle, carried as the SEA asset nora.cjs, with a V8 code cache made at build time after a
// server had started and answered (src/start-cache.ts). Node's own SEA code cache is made by
// compiling the bundle without running it, so it holds only what V8 compiles eagerly: every
// function a start runs was still compiled on every start. Measured with the bundle on this
// machine (node 24, the binary's flags, 8 interleaved starts): CPU to the first /v2/ 200 350 ms
// with a compile-only cache, 290 ms with the start cache (issue 23).
//
// Run by plain Node instead (`node dist/sea-main.cjs --make-start-cache OUT`), it makes that cache:
// scripts/build-binaries.mjs does so with each binary's own Node and V8 flags.
import { isSea } from 'node:sea';
import { makeStartCache, runBundle } from './start-cache.js';

if (isSea()) runBundle();
else void makeStartCache(process.argv.slice(2));
