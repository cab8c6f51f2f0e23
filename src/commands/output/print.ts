// Printing data on stdout in the chosen mode. Lists: a table with its header (also when empty),
// JSON lines (nothing when empty), one JSON array (`[]` when empty) or TSV rows without a header.
// Single results: text, or one JSON object (one line with --json, indented with --format json),
// or TSV `key<TAB>value` lines. JSON keys are snake_case (lib/json/snake-keys.ts).
import { snakeKeys } from '../../lib/json/snake-keys.js';
import { out } from './colour.js';
import type { OutputMode } from './flags.js';

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined;
}

/** Tabs and line breaks inside a value would break a row; absent values print as "-". */
const cell = (value: string | number | undefined): string => (value === undefined || value === '' ? '-' : String(value).replace(/[\t\r\n]+/g, ' '));

export function printList<T>(mode: OutputMode, rows: readonly T[], columns: readonly Column<T>[], stream: NodeJS.WritableStream = process.stdout): void {
  if (mode === 'jsonl') return void stream.write(rows.map((row) => `${JSON.stringify(snakeKeys(row))}\n`).join(''));
  if (mode === 'json') return void stream.write(`${JSON.stringify(snakeKeys(rows), null, 2)}\n`);
  const cells = rows.map((row) => columns.map((column) => cell(column.value(row))));
  if (mode === 'tsv') return void stream.write(cells.map((line) => `${line.join('\t')}\n`).join(''));
  const header = columns.map((column) => column.header);
  const widths = header.map((title, c) => Math.max(title.length, ...cells.map((line) => line[c]!.length)));
  const render = (line: string[]) => line.map((value, c) => value.padEnd(widths[c]!)).join('  ').trimEnd();
  stream.write([out.bold(render(header)), ...cells.map(render)].map((line) => `${line}\n`).join(''));
}

/** One result: `text` is what a person reads; `value` what a program reads. */
export function printResult(mode: OutputMode, value: object, text: string, stream: NodeJS.WritableStream = process.stdout): void {
  if (mode === 'jsonl') return void stream.write(`${JSON.stringify(snakeKeys(value))}\n`);
  if (mode === 'json') return void stream.write(`${JSON.stringify(snakeKeys(value), null, 2)}\n`);
  if (mode === 'tsv') {
    const flat = Object.entries(snakeKeys(value) as Record<string, unknown>).filter(([, v]) => v === null || typeof v !== 'object');
    return void stream.write(flat.map(([k, v]) => `${k}\t${cell(v as string)}\n`).join(''));
  }
  stream.write(`${text}\n`);
}
