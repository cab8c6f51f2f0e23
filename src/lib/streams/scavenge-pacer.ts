// Bounds the memory of a long stream copy. Every socket read hands out a fresh Buffer (up to
// 64 KiB); its JS object is tiny, so V8's young generation fills slowly while the bytes behind
// those objects (external memory) pile up: ~60 MiB of dead chunks during a 256 MiB blob copy,
// freed only when a scavenge finally runs (measured with scripts/bench/replicate.mjs). A minor
// GC (a scavenge, well under a millisecond here) every few MiB passed keeps that near 10 MiB.

type Collect = (options: { type: 'minor' }) => void;
let collect: Collect | null | undefined;

/** V8's gc() without --expose-gc on the command line (the single executable has no flags). */
function minorGc(): void {
  if (collect === undefined) {
    try {
      // node:vm loads with the first long copy, not at every start (issue 23).
      process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc');
      collect = process.getBuiltinModule('node:vm').runInNewContext('gc') as Collect;
    } catch {
      collect = null;
    }
  }
  collect?.({ type: 'minor' });
}

const STEP = 8 * 1024 * 1024;
let passed = 0;

/** Counts `bytes` streamed (by any copy in this process); runs a scavenge every 8 MiB. */
export function paceScavenges(bytes: number): void {
  passed += bytes;
  if (passed < STEP) return;
  passed = 0;
  minorGc();
}
