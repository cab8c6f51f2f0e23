// Progress of the long operator commands (backup, restore, migrate, gc), always on stderr so
// stdout stays data. On a terminal: one cli-progress bar per phase, counting bytes with rate and
// ETA when the phase knows its byte total, objects otherwise; a phase with nothing to do draws
// nothing. With --json/--format json: JSON lines ({"type":"progress",...}, ~10 a second).
// Otherwise (stderr piped, no JSON asked): silent. cli-progress loads only on a terminal.
import type { SingleBar } from 'cli-progress';
import { snakeKeys } from '../../lib/json/snake-keys.js';
import { err as colour } from './colour.js';
import { isMachine, type OutputMode } from './flags.js';

export interface ProgressEvent {
  phase: string;
  /** Objects done so far. */
  done: number;
  /** Objects in the phase; 0 or absent when unknown. */
  total?: number;
  /** Bytes done so far, and the phase's byte total when known (then the bar counts bytes). */
  bytes?: number;
  totalBytes?: number;
}

export interface Progress {
  update(event: ProgressEvent & object): void;
  /** Ends the current bar (before the result or an error is printed). */
  stop(): void;
}

/** "1.5 MiB" style byte counts for people. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export async function createProgress(mode: OutputMode, now: () => number = Date.now): Promise<Progress> {
  if (isMachine(mode)) return jsonLines(now);
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const { SingleBar: Bar } = await import('cli-progress');
  let bar: SingleBar | undefined;
  let phase = '';
  let inBytes = false;
  let started = 0;
  const stop = () => { bar?.stop(); bar = undefined; };
  return {
    update(event) {
      if (event.phase !== phase) { stop(); phase = event.phase; }
      // An empty phase (nothing counted, nothing to count) draws nothing.
      if (!bar && !event.done && !event.total && !event.bytes) return;
      if (!bar) {
        inBytes = (event.totalBytes ?? 0) > 0;
        started = now();
        const label = colour.cyan(phase.padEnd(9));
        const format = inBytes
          ? `${label} [{bar}] {percentage}% {value}/{total} {rate} ETA {eta_formatted}`
          : event.total ? `${label} [{bar}] {value}/{total} objects ETA {eta_formatted}` : `${label} {value} objects`;
        bar = new Bar({
          format, hideCursor: true, stream: process.stderr, barsize: 30, etaBuffer: 50,
          formatValue: (value, _options, type) => (inBytes && (type === 'value' || type === 'total') ? formatBytes(value) : String(value)),
        });
        bar.start(inBytes ? event.totalBytes! : event.total || event.done, 0, { rate: '' });
      }
      const value = inBytes ? event.bytes ?? 0 : event.done;
      const total = inBytes ? event.totalBytes ?? 0 : event.total || event.done;
      if (total > bar.getTotal()) bar.setTotal(total);
      const seconds = (now() - started) / 1000;
      bar.update(value, { rate: inBytes && seconds > 0 ? `${formatBytes(Math.round(value / seconds))}/s` : '' });
    },
    stop,
  };
}

function jsonLines(now: () => number): Progress {
  let phase = '';
  let last = 0;
  return {
    update(event) {
      // At most ~10 lines a second, plus every phase change.
      const at = now();
      if (event.phase === phase && at - last < 100) return;
      phase = event.phase;
      last = at;
      process.stderr.write(`${JSON.stringify({ type: 'progress', ...(snakeKeys(event) as object) })}\n`);
    },
    stop: () => undefined,
  };
}
