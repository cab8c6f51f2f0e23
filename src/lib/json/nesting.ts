// How deep a JSON text nests, found in one pass over its bytes without building anything, so a
// document nested deeper than a format allows is refused before JSON.parse allocates it and
// before anything recursive (JSON.stringify, a client's decoder) meets it.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when `bytes` (JSON, valid or not) opens more than `max` objects and arrays inside one another. */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}
