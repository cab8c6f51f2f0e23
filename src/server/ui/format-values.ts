// How the UI writes sizes, times and counts: the same everywhere, short enough for a phone.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** "2026-12-06 19:58 UTC", or "never" / "" for a missing time. */
export function time(iso: string | undefined, missing = ''): string {
  if (!iso) return missing;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return missing;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const count = (n: number): string => n.toLocaleString('en-US');

/** "sha256:0123456789ab": enough of a digest to recognise it. */
export const shortDigest = (digest: string): string => digest.slice(0, digest.indexOf(':') + 13);

/** A network value as text: strings and numbers as they are, anything else empty. */
export const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
