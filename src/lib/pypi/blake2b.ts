// BLAKE2b (RFC 7693) with a chosen digest length, incremental. Node's OpenSSL offers only the
// 512-bit variant and twine sends blake2_256_digest, so this computes it in 32-bit halves,
// reading whole 128-byte blocks straight from the input (no per-byte copying).
// https://www.rfc-editor.org/rfc/rfc7693

// The IV as (low, high) 32-bit words of each 64-bit word.
const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
].map((row) => Uint8Array.from(row.map((i) => i * 2)));

const v = new Uint32Array(32);
const m = new Uint32Array(32);

// The mixing function G on 64-bit words a, b, c, d of v (word index * 2) with message words x, y.
function g(a: number, b: number, c: number, d: number, x: number, y: number): void {
  let lo = v[a]! + v[b]! + m[x]!;
  v[a + 1] = v[a + 1]! + v[b + 1]! + m[x + 1]! + ((lo / 0x100000000) | 0);
  v[a] = lo;
  let xl = v[d]! ^ v[a], xh = v[d + 1]! ^ v[a + 1]!;
  v[d] = xh; v[d + 1] = xl; // rotr 32
  lo = v[c]! + v[d];
  v[c + 1] = v[c + 1]! + v[d + 1]! + (lo >= 0x100000000 ? 1 : 0);
  v[c] = lo;
  xl = v[b]! ^ v[c]; xh = v[b + 1]! ^ v[c + 1]!;
  v[b] = (xl >>> 24) | (xh << 8); v[b + 1] = (xh >>> 24) | (xl << 8); // rotr 24
  lo = v[a] + v[b] + m[y]!;
  v[a + 1] = v[a + 1]! + v[b + 1]! + m[y + 1]! + ((lo / 0x100000000) | 0);
  v[a] = lo;
  xl = v[d] ^ v[a]; xh = v[d + 1]! ^ v[a + 1]!;
  v[d] = (xl >>> 16) | (xh << 16); v[d + 1] = (xh >>> 16) | (xl << 16); // rotr 16
  lo = v[c] + v[d];
  v[c + 1] = v[c + 1]! + v[d + 1]! + (lo >= 0x100000000 ? 1 : 0);
  v[c] = lo;
  xl = v[b] ^ v[c]; xh = v[b + 1]! ^ v[c + 1]!;
  v[b] = (xl << 1) | (xh >>> 31); v[b + 1] = (xh << 1) | (xl >>> 31); // rotr 63
}

function compress(h: Uint32Array, block: Uint8Array, offset: number, bytes: number, last: boolean): void {
  for (let i = 0; i < 32; i++) {
    const at = offset + i * 4;
    m[i] = block[at]! | (block[at + 1]! << 8) | (block[at + 2]! << 16) | (block[at + 3]! << 24);
  }
  v.set(h, 0);
  v.set(IV, 16);
  v[24] = v[24]! ^ (bytes >>> 0);
  v[25] = v[25]! ^ Math.floor(bytes / 0x100000000);
  if (last) { v[28] = ~v[28]!; v[29] = ~v[29]!; }
  for (let round = 0; round < 12; round++) {
    const s = SIGMA[round % 10]!;
    g(0, 8, 16, 24, s[0]!, s[1]!); g(2, 10, 18, 26, s[2]!, s[3]!); g(4, 12, 20, 28, s[4]!, s[5]!); g(6, 14, 22, 30, s[6]!, s[7]!);
    g(0, 10, 20, 30, s[8]!, s[9]!); g(2, 12, 22, 24, s[10]!, s[11]!); g(4, 14, 16, 26, s[12]!, s[13]!); g(6, 8, 18, 28, s[14]!, s[15]!);
  }
  for (let i = 0; i < 16; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 16]!;
}

export class Blake2b {
  private readonly h = new Uint32Array(IV);
  private readonly buffer = new Uint8Array(128);
  private buffered = 0;
  private total = 0;

  constructor(private readonly outputLength = 32) {
    if (outputLength < 1 || outputLength > 64) throw new RangeError('BLAKE2b output length must be 1..64 bytes');
    this.h[0] = this.h[0]! ^ 0x01010000 ^ outputLength;
  }

  update(input: Uint8Array): this {
    let at = 0;
    // The final block (even a full one) is kept back until digest(), which flags it as last.
    while (at < input.length) {
      if (this.buffered === 128) {
        this.total += 128;
        compress(this.h, this.buffer, 0, this.total, false);
        this.buffered = 0;
      }
      if (this.buffered === 0 && input.length - at > 128) {
        this.total += 128;
        compress(this.h, input, at, this.total, false);
        at += 128;
        continue;
      }
      const take = Math.min(128 - this.buffered, input.length - at);
      this.buffer.set(input.subarray(at, at + take), this.buffered);
      this.buffered += take;
      at += take;
    }
    return this;
  }

  digest(): Buffer {
    this.total += this.buffered;
    this.buffer.fill(0, this.buffered);
    compress(this.h, this.buffer, 0, this.total, true);
    const out = Buffer.alloc(64);
    for (let i = 0; i < 16; i++) out.writeUInt32LE(this.h[i]!, i * 4);
    return out.subarray(0, this.outputLength);
  }
}
