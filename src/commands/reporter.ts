// How operator commands show progress and results: a cli-progress bar on stderr when it is a
// terminal, JSON lines otherwise (or always with --json); the final result as one JSON line on
// stdout with --json or when stdout is piped, else as text. cli-progress loads only on a TTY.
import type { SingleBar } from 'cli-progress';

export interface Reporter {
  /** One progress step: total 0 means unknown. */
  progress(event: Record<string, unknown> & { done: number; total?: number; phase: string }): void;
  /** The final result; `text` is what a person reads on a terminal. */
  result(value: Record<string, unknown>, text: string, stream?: NodeJS.WriteStream): void;
  stop(): void;
}

export async function createReporter(options: { json?: boolean; quiet?: boolean }): Promise<Reporter> {
  const jsonProgress = options.json || !process.stderr.isTTY;
  let bar: SingleBar | undefined;
  let phase = '';
  let lastJson = 0;
  const { SingleBar: Bar, Presets } = jsonProgress || options.quiet ? { SingleBar: undefined, Presets: undefined } : await import('cli-progress');
  return {
    progress(event) {
      if (options.quiet) return;
      if (jsonProgress) {
        // At most ~10 lines a second, plus every phase change.
        const now = Date.now();
        if (event.phase === phase && now - lastJson < 100) return;
        phase = event.phase;
        lastJson = now;
        process.stderr.write(`${JSON.stringify({ type: 'progress', ...event })}\n`);
        return;
      }
      if (event.phase !== phase) {
        bar?.stop();
        phase = event.phase;
        bar = new Bar!({ format: `${phase.padEnd(8)} [{bar}] {value}/{total}`, hideCursor: true }, Presets!.shades_classic);
        bar.start(event.total || event.done, event.done);
      }
      if (event.total && event.total > bar!.getTotal()) bar!.setTotal(event.total);
      if (!event.total && event.done > bar!.getTotal()) bar!.setTotal(event.done);
      bar!.update(event.done);
    },
    result(value, text, stream = process.stdout) {
      bar?.stop();
      bar = undefined;
      if (options.json || !stream.isTTY) stream.write(`${JSON.stringify({ type: 'result', ...value })}\n`);
      else stream.write(`${text}\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** "1.5 MiB" style byte counts for text output. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
