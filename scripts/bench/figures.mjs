// One shape for every benchmark's figures, so `npm run bench` (run-all.mjs) can print them in
// one table: { figure, nora, peer, peerName, ratio (NORA / peer), target, met }. A target is
// ">= x" (higher is better: throughput) or "<= x" (lower is better: latency, time, memory) on
// the ratio; a figure without a target is context only. When BENCH_JSON names a file, a bench
// appends its rows there as one JSON line per section; it always prints its own table too.
import { appendFileSync } from 'node:fs';
import os from 'node:os';

/** A figure row; `target` like '>= 0.90' or '<= 1.00' applies to nora / peer. */
export function figure(name, nora, peer, peerName, target = '', digits = 0) {
  const ratio = nora / peer;
  const [op, limit] = target.split(' ');
  const met = !target ? '' : (op === '>=' ? ratio >= Number(limit) : ratio <= Number(limit)) ? 'yes' : 'NO';
  return { figure: name, nora: round(nora, digits), peer: round(peer, digits), peerName, ratio: Number(ratio.toFixed(2)), target, met };
}

const round = (value, digits) => Number(value.toFixed(digits));

/** The machine's 1-minute load average, noted with every run (figures are noisy on a busy machine). */
export const loadAverage = () => os.loadavg()[0].toFixed(2);

export function tableLines(rows) {
  return [
    '| figure | NORA | peer | NORA / peer | target | met? |',
    '|---|---:|---:|---:|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.nora} | ${r.peer} (${r.peerName}) | ${r.ratio.toFixed(2)}x | ${r.target} | ${r.met} |`),
  ];
}

/** Prints the section's table and, under run-all, hands the rows over. */
export function report(section, rows, note = '') {
  const lines = [`## ${section} — ${os.cpus().length} cores, Node ${process.version}, load ${loadAverage()} at the end`, '', ...tableLines(rows)];
  if (note) lines.push('', note);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (process.env.BENCH_JSON) appendFileSync(process.env.BENCH_JSON, `${JSON.stringify({ section, load: loadAverage(), rows })}\n`);
}
