// A small seeded PRNG (sfc32, seeded through splitmix32) so a fuzz run is reproducible: the
// seed is printed, and FUZZ_SEED=<n> replays it. No dependency, no global state.

/** The run's seed: FUZZ_SEED when set, else a fresh one. */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`FUZZ_SEED must be a non-negative integer, got ${JSON.stringify(given)}`);
    return n >>> 0;
  }
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

/** Requests per protocol: FUZZ_COUNT when set, else `fallback`. */
export function fuzzCount(fallback: number): number {
  const n = Number(process.env.FUZZ_COUNT ?? fallback);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `label` derives an independent stream per protocol from one run seed. */
  constructor(readonly seed: number, label = '') {
    let s = seed >>> 0;
    for (const ch of label) s = Math.imul(s ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next();
  }

  /** Uniform in [0, 2^32). */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor((this.u32() / 0x1_0000_0000) * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** Calls one of the generators. */
  oneOf<T>(...makers: Array<() => T>): T {
    return this.pick(makers)();
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  hex(n: number): string {
    let out = '';
    while (out.length < n) out += this.u32().toString(16).padStart(8, '0');
    return out.slice(0, n);
  }
}
