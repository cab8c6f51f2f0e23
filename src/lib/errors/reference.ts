// The error reference derived from the catalogs: one row per code and meaning, naming who raises
// it. The README's error table is this, verbatim (test/unit/errors/readme.test.ts).
import { ERROR_CATALOGS } from './catalogs.js';

export interface ErrorReference {
  code: string;
  status: number;
  summary: string;
  where: string[];
}

/** Rows in catalog order; a code defined with the same meaning by several catalogs is one row. */
export function errorReference(): ErrorReference[] {
  const rows = new Map<string, ErrorReference>();
  for (const { where, errors, sentAs } of ERROR_CATALOGS) {
    for (const { code, status, summary: meaning } of Object.values(errors)) {
      const summary = sentAs?.[code] ? `${meaning} Sent as \`${sentAs[code]}\`.` : meaning;
      const row = rows.get(`${code}\n${summary}`);
      if (!row) rows.set(`${code}\n${summary}`, { code, status, summary, where: [where] });
      else if (!row.where.includes(where)) row.where.push(where);
    }
  }
  return [...rows.values()];
}

export function errorTableMarkdown(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = errorReference().map((r) => `| \`${r.code}\` | ${r.status} | ${r.where.join(', ')} | ${escape(r.summary)} |`);
  return ['| code | status | raised by | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
