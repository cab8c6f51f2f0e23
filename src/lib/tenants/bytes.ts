// Byte counts as people read them in refusal messages: decimal units (the units "50GB" means in
// nora.toml), three significant figures, and the exact count when it is not a round number.
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  const shown = `${Number(value.toPrecision(3))} ${UNITS[unit]}`;
  return Number.isInteger(value) ? shown : `${shown} (${bytes} bytes)`;
}
