// Strict streaming base64 decoding: text arrives in arbitrary slices, whole 4-character groups
// are decoded as they complete, and anything outside the alphabet (Node's decoder would silently
// skip it) or data after the final padding is an error.
import { NpmErrors } from './errors.js';

export class Base64Decoder {
  private carry = '';
  private finished = false;

  /** Decodes what completes with `text`; the rest waits for the next slice. */
  push(text: string): Buffer {
    const all = this.carry + text;
    const usable = all.length - (all.length % 4);
    this.carry = all.slice(usable);
    return usable === 0 ? Buffer.alloc(0) : this.decode(all.slice(0, usable));
  }

  /** Ends the input; what is left must be nothing. */
  end(): void {
    if (this.carry.length !== 0) throw NpmErrors.BAD_PUBLISH('attachment "data" is not valid base64');
  }

  private decode(text: string): Buffer {
    if (this.finished) throw NpmErrors.BAD_PUBLISH('attachment "data" is not valid base64');
    const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length !== (text.length / 4) * 3 - padding) throw NpmErrors.BAD_PUBLISH('attachment "data" is not valid base64');
    if (padding > 0) this.finished = true;
    return bytes;
  }
}
