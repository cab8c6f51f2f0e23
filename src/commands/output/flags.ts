// The one output style of every command that prints data: --json (JSON lines for a list, one
// object for a single result) or the general --format table|json|tsv. Without either, people get
// text (a table for lists), also when stdout is piped: machine output is always asked for.
import { Flags } from '@oclif/core';

export const outputFlags = {
  json: Flags.boolean({ description: 'JSON: one object per line for a list, one object for a single result.', exclusive: ['format'] }),
  format: Flags.string({ description: 'Output format: table (text), json (a list is one array) or tsv (no header).', options: ['table', 'json', 'tsv'], helpValue: 'FORMAT' }),
};

/** jsonl is what --json selects; json is --format json. */
export type OutputMode = 'table' | 'json' | 'jsonl' | 'tsv';

export function outputMode(flags: { json?: boolean | undefined; format?: string | undefined }): OutputMode {
  if (flags.json) return 'jsonl';
  return (flags.format as OutputMode | undefined) ?? 'table';
}

/** True when the output is for a program: progress then goes to stderr as JSON lines, not bars. */
export const isMachine = (mode: OutputMode): boolean => mode === 'json' || mode === 'jsonl';
