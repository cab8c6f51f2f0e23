// The colour level of each output stream: terminal depth, NO_COLOR and FORCE_COLOR as chalk reads them.
import { describe, expect, it } from 'vitest';
import { colourLevel } from '../../../src/commands/output/colour.js';

/** A stream that is a terminal of `depth` bits (Node's getColorDepth), or a pipe. */
function stream(depth: number | undefined): NodeJS.WriteStream {
  const tty = depth !== undefined;
  return { isTTY: tty, getColorDepth: () => depth ?? 1 } as unknown as NodeJS.WriteStream;
}

describe('colourLevel', () => {
  it('follows the terminal colour depth', () => {
    expect(colourLevel(stream(1), {})).toBe(0);
    expect(colourLevel(stream(4), {})).toBe(1);
    expect(colourLevel(stream(8), {})).toBe(2);
    expect(colourLevel(stream(24), {})).toBe(3);
  });

  it('gives no colour to a pipe, and none with NO_COLOR', () => {
    expect(colourLevel(stream(undefined), {})).toBe(0);
    expect(colourLevel(stream(24), { NO_COLOR: '1' })).toBe(0);
  });

  it('FORCE_COLOR wins over a pipe and over NO_COLOR, read as chalk reads it', () => {
    expect(colourLevel(stream(undefined), { FORCE_COLOR: '1' })).toBe(1);
    expect(colourLevel(stream(undefined), { FORCE_COLOR: '' })).toBe(1);
    expect(colourLevel(stream(undefined), { FORCE_COLOR: 'true' })).toBe(1);
    expect(colourLevel(stream(undefined), { FORCE_COLOR: '3', NO_COLOR: '1' })).toBe(3);
    expect(colourLevel(stream(undefined), { FORCE_COLOR: '9' })).toBe(3);
    expect(colourLevel(stream(24), { FORCE_COLOR: '0' })).toBe(0);
    expect(colourLevel(stream(24), { FORCE_COLOR: 'false' })).toBe(0);
  });
});
