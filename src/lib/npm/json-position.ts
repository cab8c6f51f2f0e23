// Follows where a stream of JSON bytes is, one byte at a time in O(1): inside a string or not, the
// nesting (at most MAX_DEPTH levels), and the keys of the top levels, so the publish reader sees
// when a string opens at `_attachments.<file>.data` (the tarball) and reads the value of
// `versions.<v>.dist.integrity`. It does not validate: JSON.parse checks the kept text afterwards,
// so it only has to be right about valid JSON. Keys and the integrity are decoded only when short.
import { NpmErrors } from './errors.js';

/** The deepest nesting of objects and arrays a publish or update body may have; a packument needs a few dozen levels. */
export const MAX_DEPTH = 64;
/** Keys are remembered on the levels the two paths above run through; deeper ones are skipped. */
const TRACKED_DEPTH = 4;
/** A longer key cannot be one of the names looked for (even with every character \u-escaped). */
const MAX_KEY_BYTES = 256;
const MAX_INTEGRITY_BYTES = 4096;
/** The keys the paths above name; other keys are never compared, so they are not decoded. */
const NAMES = new Set(['_attachments', 'data', 'versions', 'dist', 'integrity']);
const NAME_LENGTHS = new Set([...NAMES].map((name) => name.length));

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Frame { array: boolean; expectKey: boolean; key?: string }
type Capturing = 'key' | 'integrity' | undefined;

export class JsonPosition {
  private readonly stack: Frame[] = [];
  private inString = false;
  private escaped = false;
  /** What the open string is being recorded for, into `bytes` (reused: no allocation per key). */
  private capturing: Capturing;
  private readonly bytes = Buffer.alloc(MAX_INTEGRITY_BYTES);
  private length = 0;
  private escapes = false;
  private overlong = false;
  /** The last `versions.<v>.dist.integrity` string seen. */
  integrity: string | undefined;

  /** True inside a string whose bytes matter only for its closing quote or an escape. */
  get inPlainString(): boolean {
    return this.inString && !this.escaped && this.capturing === undefined;
  }

  /** Moves past `byte`; 'attachment' when it opened the attachment's data string. */
  step(byte: number): 'attachment' | undefined {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (byte === QUOTE) {
        this.closeString();
        return undefined;
      } else if (byte === BACKSLASH) this.escaped = true;
      if (this.capturing) this.record(byte);
      return undefined;
    }
    const stack = this.stack;
    const top = stack[stack.length - 1];
    if (byte === QUOTE) {
      this.inString = true;
      if (top && !top.array && top.expectKey) {
        top.expectKey = false;
        top.key = undefined;
        if (stack.length <= TRACKED_DEPTH) this.capture('key');
      } else if (stack.length === 3 && stack[0]!.key === '_attachments' && !stack[1]!.array && stack[2]!.key === 'data') {
        return 'attachment';
      } else if (stack.length === 4 && stack[0]!.key === 'versions' && !stack[1]!.array && stack[2]!.key === 'dist' && stack[3]!.key === 'integrity') {
        this.capture('integrity');
      }
    } else if (byte === 0x7b || byte === 0x5b) {
      if (stack.length >= MAX_DEPTH) throw NpmErrors.BAD_PUBLISH(`the JSON nests deeper than ${MAX_DEPTH} levels`);
      stack.push({ array: byte === 0x5b, expectKey: byte === 0x7b });
    } else if (byte === 0x7d || byte === 0x5d) stack.pop();
    else if (byte === 0x2c && top && !top.array) top.expectKey = true;
    return undefined;
  }

  /** The open string ends here (its closing quote was consumed by the caller, or by step). */
  closeString(): void {
    this.inString = false;
    this.escaped = false;
    const kind = this.capturing;
    if (!kind) return;
    this.capturing = undefined;
    if (kind === 'integrity') {
      if (this.overlong) throw NpmErrors.BAD_PUBLISH(`dist.integrity is longer than ${MAX_INTEGRITY_BYTES} bytes`);
      this.integrity = this.decode();
    } else if (!this.overlong && (this.escapes || NAME_LENGTHS.has(this.length))) {
      const key = this.decode();
      if (NAMES.has(key)) this.stack[this.stack.length - 1]!.key = key;
    }
  }

  private capture(kind: Capturing): void {
    this.capturing = kind;
    this.length = 0;
    this.escapes = false;
    this.overlong = false;
  }

  private record(byte: number): void {
    if (this.overlong) return;
    if (this.length >= (this.capturing === 'key' ? MAX_KEY_BYTES : MAX_INTEGRITY_BYTES)) {
      this.overlong = true;
      return;
    }
    if (byte === BACKSLASH) this.escapes = true;
    this.bytes[this.length++] = byte;
  }

  /** The captured string's text: escapes (rare in keys) go through JSON.parse. */
  private decode(): string {
    const raw = this.bytes.toString('utf8', 0, this.length);
    if (!this.escapes) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      throw NpmErrors.BAD_PUBLISH(`invalid JSON: a malformed escape in ${JSON.stringify(raw.slice(0, 40))}`);
    }
  }
}
