// Integer query parameters (page sizes, offsets). Absent means the route's default; anything but
// one decimal integer in range is refused in the caller's protocol shape, never silently
// ignored: a client that sent n=abc or n=-1 asked for something this server does not do.
export interface IntegerRange {
  /** The parameter's name, for the message. */
  name: string;
  min: number;
  max: number;
}

/** The parameter's value, undefined when absent; throws `refuse(message)` when it is not an integer in range. */
export function queryInteger(value: unknown, range: IntegerRange, refuse: (message: string) => Error): number | undefined {
  if (value === undefined) return undefined;
  const expected = `${range.name} must be an integer from ${range.min} to ${range.max}`;
  if (typeof value !== 'string') throw refuse(`${expected}, given more than once`);
  const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(n >= range.min && n <= range.max)) throw refuse(`${expected}, got ${JSON.stringify(value.slice(0, 40))}`);
  return n;
}
