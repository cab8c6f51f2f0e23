// Bounds what hostile input costs without a wall-clock threshold: the CPU time of a worst-case
// input is compared with a normal input of the same size, in the same process and run. Each is
// run several times, alternating, and the cheapest run of each counts (the one least disturbed
// by a loaded machine); CPU time, unlike elapsed time, does not grow while other processes run.

/** Microseconds of CPU this process spent in `run` (all of its threads: zlib and GC included). */
export async function cpuMicros(run: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

export interface CostRatio {
  normal: number;
  worst: number;
  /** worst / normal */
  ratio: number;
}

export async function costRatio(normal: () => unknown, worst: () => unknown, rounds = 5): Promise<CostRatio> {
  await normal(); // warm up both paths once (JIT), unmeasured
  await worst();
  let best = { normal: Infinity, worst: Infinity };
  for (let i = 0; i < rounds; i++) {
    best = { normal: Math.min(best.normal, await cpuMicros(normal)), worst: Math.min(best.worst, await cpuMicros(worst)) };
  }
  return { ...best, ratio: best.worst / Math.max(best.normal, 1) };
}

/** "worst 1.2 ms vs normal 0.8 ms (1.5x)", for assertion messages. */
export const describeCost = ({ normal, worst, ratio }: CostRatio): string => `worst ${(worst / 1000).toFixed(2)} ms vs normal ${(normal / 1000).toFixed(2)} ms (${ratio.toFixed(1)}x)`;
