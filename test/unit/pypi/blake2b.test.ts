// BLAKE2b-256 against the RFC 7693 test vector, Python's hashlib values and blakejs, for
// lengths around block boundaries and any chunking.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blake2b } from 'blakejs';
import { Blake2b } from '../../../src/lib/pypi/blake2b.js';

describe('BLAKE2b', () => {
  it('matches known digests', () => {
    // RFC 7693 appendix A: BLAKE2b-512("abc").
    expect(new Blake2b(64).update(Buffer.from('abc')).digest().toString('hex')).toBe(
      'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923');
    // python3 -c "import hashlib; print(hashlib.blake2b(b'abc', digest_size=32).hexdigest())"
    expect(new Blake2b(32).update(Buffer.from('abc')).digest().toString('hex')).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
    expect(new Blake2b(32).digest().toString('hex')).toBe('0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
  });

  it.each([1, 127, 128, 129, 255, 256, 257, 1000, 65_537])('agrees with blakejs for %i bytes in any chunking', (length) => {
    const data = randomBytes(length);
    const expected = Buffer.from(blake2b(data, undefined, 32)).toString('hex');
    expect(new Blake2b(32).update(data).digest().toString('hex')).toBe(expected);
    for (const size of [1, 37, 128, 4096]) {
      const hash = new Blake2b(32);
      for (let at = 0; at < length; at += size) hash.update(data.subarray(at, at + size));
      expect(hash.digest().toString('hex')).toBe(expected);
    }
  });
});
