// Storage keys are built from names that arrive over the network, so every adapter validates
// them the same way before touching a disk or a bucket: relative, '/'-separated segments of a
// conservative character set, no empty, '.'-leading or over-long segments. Anything else is
// InvalidPath, never a file outside the store.
import { InvalidPath } from './errors.js';

const SEGMENT = /^[A-Za-z0-9_@+=,~:-][A-Za-z0-9._@+=,~:-]*$/;
const MAX_KEY = 1024;
const MAX_SEGMENT = 255;
/**
 * A whole valid key in one test, so the common case splits nothing (every storage call checks its
 * key). '/' is in neither class, so matching is linear. A key it refuses goes through the loop below,
 * which names the problem.
 */
const VALID_KEY = /^[A-Za-z0-9_@+=,~:-][A-Za-z0-9._@+=,~:-]{0,254}(?:\/[A-Za-z0-9_@+=,~:-][A-Za-z0-9._@+=,~:-]{0,254})*$/;

export function assertValidKey(key: string): void {
  if (key.length === 0) throw InvalidPath(key, 'empty key');
  if (key.length > MAX_KEY) throw InvalidPath(key.slice(0, 64) + '...', `longer than ${MAX_KEY} characters`);
  if (VALID_KEY.test(key)) return;
  for (const segment of key.split('/')) {
    if (segment.length === 0) throw InvalidPath(key, 'empty segment (leading, trailing or double slash)');
    if (segment.length > MAX_SEGMENT) throw InvalidPath(key, `segment longer than ${MAX_SEGMENT} characters`);
    if (!SEGMENT.test(segment)) throw InvalidPath(key, `segment ${JSON.stringify(segment)} has a forbidden character or starts with '.'`);
  }
}

/** A list prefix: empty, or a valid key, optionally ending in '/'. */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}
