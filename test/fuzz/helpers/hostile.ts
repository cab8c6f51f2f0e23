// Generators of hostile input shared by the per-protocol fuzz tests: names and path segments
// (traversal in every encoding, huge, odd, unicode, control characters), wrong digests, broken
// bodies (garbage, truncated, JSON nested deep or malformed), odd content types and numbers.
// Segments are returned as they go on the wire: raw bytes, percent-encoded or double-encoded.
import { createHash } from 'node:crypto';
import type { Prng } from './prng.js';

const TRAVERSALS = [
  '..', '../', '..%2f', '..%2F', '%2e%2e/', '%2e%2e%2f', '%2E%2E%2F', '%252e%252e%252f', '..%5c', '..\\', '%c0%ae%c0%ae/',
  '%e0%80%ae%e0%80%ae/', '..%00/', '..;/', '.%2e/', '%2e./', '....//', '..%c0%af', '%uff0e%uff0e/', '\uff0e\uff0e\uff0f',
  '..%u2215', '%2e%2e%5c', '..%255c', '..%ef%bc%8f', './', '%2e/', '.',
];
const TARGETS = ['etc/passwd', 'blobs/sha256/00', 'repos/npm', 'auth/keys', '..', '', 'data/audit.log', 'C:\\Windows\\win.ini', '%2fetc%2fpasswd', '/etc/passwd'];
const ODD = ['', '.', '-', '_', '~', '@', '@/', '@scope/', '%', '%zz', '%%', '+', ' ', 'CON', 'nul', 'aux', 'a..b', '.hidden', '-lead', 'trail-',
  'UPPER', 'MiXeD', 'a//b', 'a/./b', '*', '**', '?', '[x]', '{a,b}', 'a:b', 'a#b', 'a;b', 'a"b', "a'b", '<script>alert(1)</script>', '${jndi:ldap://x}',
  '$(id)', '`id`', 'a|b', 'node_modules', 'favicon.ico', '_catalog', '__proto__', 'constructor', 'prototype', 'sha256:abc', 'latest', '-rev'];
const UNICODE = ['\u{1f4a9}', '\u202eevil', 'zero\u200bwidth', 'e\u0301', '\u00e9', '\u0440\u0430\u0443\u0440\u0430l', '\u4e2d\u6587', '\uff41\uff42',
  '\ufeffbom', 'a\u2028b', '\u0000', '\ud800', 'ǅ', 'ﬁ', 'İ', 'ß'];
const CONTROL = ['\x00', '\x01', '\x7f', '\r', '\n', '\t', '\x1b[31m', '%00', '%0d%0a', '%0aSet-Cookie:%20x=1', '%7f', '%1b', '\x08', '%09'];

/** A path segment as it goes on the wire (may contain raw bytes the URL parser would refuse). */
export function hostileSegment(rng: Prng): string {
  return rng.oneOf(
    () => rng.pick(TRAVERSALS).repeat(rng.int(1, 6)) + rng.pick(TARGETS),
    () => rng.pick(ODD),
    () => 'a'.repeat(rng.int(100, 70_000)),
    () => `${rng.pick(['x', 'a-b', 'pkg'])}${rng.pick(UNICODE)}${rng.pick(['', 'y'])}`,
    () => `x${rng.pick(CONTROL)}y`,
    () => encode(rng, `${rng.pick(ODD)}${rng.pick(UNICODE)}${rng.pick(TRAVERSALS)}`),
    () => rng.hex(rng.int(1, 80)),
  );
}

/** A multi-segment name (`a/b/c`), some segments hostile, some plain. */
export function hostileName(rng: Prng, plain = 'team'): string {
  const parts = Array.from({ length: rng.int(1, 4) }, () => (rng.chance(0.6) ? hostileSegment(rng) : plain));
  if (rng.chance(0.1)) return 'a/'.repeat(rng.int(100, 3000)) + 'z';
  return parts.join(rng.chance(0.15) ? rng.pick(['%2f', '%2F', '//', '\\', '/./']) : '/');
}

/** Markers no format accepts in a name, wherever they stand: so the name is invalid everywhere. */
const INVALID_EVERYWHERE = ['..', '%00', '\u{1f4a9}', '\x01', '%2e%2e', ' ', '<', '"', '\\', '%', '\u202e', '%zz'];

/** A segment that is certainly not a valid name, tag or version in any format. */
export function invalidSegment(rng: Prng): string {
  const marker = rng.pick(INVALID_EVERYWHERE);
  // A dot run is only a traversal as a whole segment ("..a" is a fine Maven segment).
  if (marker === '..' || marker === '%2e%2e') return marker;
  const base = hostileSegment(rng).slice(0, 300);
  return rng.chance(0.5) ? `${marker}${base}` : `${base}${marker}`;
}

/** A name with at least one certainly invalid segment (for requests sent with write access). */
export function invalidName(rng: Prng, plain = 'team'): string {
  const parts = Array.from({ length: rng.int(1, 3) }, () => (rng.chance(0.5) ? hostileSegment(rng).slice(0, 300) : plain));
  parts.splice(rng.int(0, parts.length), 0, invalidSegment(rng));
  return parts.join('/');
}

/** Headers a client should never send, added to some requests: oversized or control-character ids, forged addresses, odd encodings. */
export function hostileHeaders(rng: Prng): Record<string, string> {
  return rng.oneOf<Record<string, string>>(
    () => ({ 'x-request-id': rng.pick(['x'.repeat(10_000), '<script>alert(1)</script>', '\x01\x02', '../../etc/passwd', '']) }),
    () => ({ 'x-forwarded-for': rng.pick(['<script>', '1.2.3.4, 5.6.7.8', 'x'.repeat(10_000), '::1', '999.999.999.999', 'unknown']) }),
    () => ({ accept: rng.pick(['*/*;q=abc', 'x'.repeat(8000), 'application/vnd.pypi.simple.v1+json;q=2', ',,,', '\x7f']) }),
    () => ({ 'content-encoding': rng.pick(['gzip', 'br', 'deflate', 'identity, gzip', 'x-unknown']) }),
    () => ({ expect: '100-continue' }),
    () => ({ range: rng.pick(['bytes=-1', 'bytes=99999999999999999999-', 'bytes=5-1', 'bytes=0-0,1-1', 'chars=0-1', 'bytes=--1']) }),
    () => ({ 'if-none-match': rng.pick(['*', '"x"', 'W/"' + 'x'.repeat(5000) + '"']) }),
  );
}

/** Percent-encodes `text`, sometimes twice, sometimes only partly. */
export function encode(rng: Prng, text: string): string {
  const once = safeEncode(text);
  return rng.oneOf(() => once, () => safeEncode(once), () => text.replace(/\//g, '%2f'), () => once.toUpperCase());
}

/** encodeURIComponent that survives lone surrogates. */
export function safeEncode(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
}

/** A digest that names nothing stored or is malformed. */
export function wrongDigest(rng: Prng): string {
  return rng.oneOf(
    () => `sha256:${rng.hex(64)}`,
    () => `sha512:${rng.hex(128)}`,
    () => `sha256:${rng.hex(rng.int(0, 63))}`,
    () => `sha256:${'Z'.repeat(64)}`,
    () => `sha256:${rng.hex(64).toUpperCase()}`,
    () => `md5:${rng.hex(32)}`,
    () => `sha256${rng.hex(64)}`,
    () => `sha256:../../${rng.hex(8)}`,
    () => `sha256:${rng.hex(64)}${rng.pick(['%00', '/x', '\\x', '?a=b'])}`,
    () => rng.pick(['', ':', 'sha256:', 'sha1:abc', 'sha256:' + 'a'.repeat(5000)]),
  );
}

export const sha256Digest = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A JSON text nested `depth` levels (arrays or objects). */
export function deepJson(rng: Prng, depth = rng.int(100, 5000)): string {
  return rng.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** A body that is not what any endpoint accepts: garbage, truncated, malformed or hostile JSON. */
export function hostileBody(rng: Prng, valid?: Buffer): Buffer {
  return rng.oneOf(
    () => rng.bytes(rng.int(0, 4096)),
    () => Buffer.alloc(rng.int(1, 64 * 1024), rng.int(0, 255)),
    () => (valid ? valid.subarray(0, rng.int(0, Math.max(0, valid.length - 1))) : Buffer.from('{"truncated":')),
    () => Buffer.from(deepJson(rng)),
    () => Buffer.from(rng.pick(['{', '}', '{"a":}', '[1,]', '{"a":1,}', 'NaN', 'null', 'true', '""', '0', '-1', '1e309', '{"a":"\\ud800"}', '\ufeff{}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}'])),
    () => Buffer.from(JSON.stringify({ name: hostileSegment(rng), version: hostileNumber(rng), size: hostileNumber(rng) })),
    () => Buffer.from(`{"s":"${'x'.repeat(rng.int(1000, 200_000))}"}`),
    () => Buffer.from(`[${Array.from({ length: rng.int(1000, 50_000) }, () => '0').join(',')}]`),
  );
}

/** Numbers that are negative, fractional, enormous or not numbers, as JSON values. */
export function hostileNumber(rng: Prng): number | string {
  return rng.pick<number | string>([-1, -0, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 0, 2 ** 32, 2 ** 64, '1', '', 'NaN', '1e309', '0x10', ' 1']);
}

/** A query-string value for a numeric parameter. */
export function hostileNumberText(rng: Prng): string {
  return rng.pick(['-1', 'abc', '1.5', '', '1e3', '0x10', '+1', '%20 1', '99999999999999999999999', '-0', 'NaN', 'Infinity', '%00', '1%00', '1,2', '9'.repeat(400)]);
}

export function hostileContentType(rng: Prng): string {
  return rng.pick(['application/json', 'text/plain', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary="unterminated',
    'application/x-www-form-urlencoded', 'application/octet-stream', '', ';;;', 'application/json; charset=utf-16', '*/*', 'x'.repeat(5000),
    'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'text/html; charset=\u00ff']);
}

/** An Authorization header nobody issued. */
export function forgedAuthorization(rng: Prng): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const jwt = (header: object, payload: object, signature = rng.hex(43)) => `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
  return rng.oneOf(
    () => `Basic ${b64(`${rng.pick(['intruder', 'root', 'admin', 'writer-not', '', 'reader '])}:${rng.hex(12)}`)}`,
    () => `Basic ${rng.pick(['', '!!!', '====', 'Og==', 'a'.repeat(10_000)])}`,
    () => `Bearer ${jwt({ alg: 'none', typ: 'JWT' }, { sub: 'writer', aud: 'nora', access: [{ type: 'repository', name: '*', actions: ['*'] }] }, '')}`,
    () => `Bearer ${jwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'writer', aud: 'nora', exp: 9e15 })}`,
    () => `Bearer ${rng.pick(['', 'x', 'a.b.c', '..', 'nora_' + rng.hex(40), rng.hex(5000)])}`,
    () => `${rng.pick(['Digest', 'Negotiate', 'token', 'BASIC', 'Bearer\t'])} ${rng.hex(20)}`,
    () => `nora_${rng.hex(48)}`,
  );
}
