// What `nora replicate` shows: on a terminal, cli-progress bars on stderr (artifacts overall,
// and one per blob of 8 MiB or more while it streams) with failures and dry-run decisions as
// lines above them; with --json or when stdout is piped, one JSON line per event on stdout
// (byte progress at most every half second per blob). The summary closes either way.
import type { MultiBar, SingleBar } from 'cli-progress';
import type { ReplicateEvent, ReplicateSummary } from '../lib/ops/replicate/events.js';
import { snakeKeys } from '../lib/json/snake-keys.js';
import { formatBytes } from './output/progress.js';

const LARGE = 8 * 1024 * 1024;

export interface ReplicateOutput {
  event(event: ReplicateEvent): void;
  summary(summary: ReplicateSummary): void;
  stop(): void;
}

export async function createReplicateOutput(options: { json: boolean; dryRun: boolean }): Promise<ReplicateOutput> {
  if (options.json || !process.stdout.isTTY) return jsonOutput();
  const { MultiBar: Multi, Presets } = await import('cli-progress');
  const multi: MultiBar = new Multi({ hideCursor: true, clearOnComplete: true, format: '{name} [{bar}] {value}/{total}', stream: process.stderr }, Presets.shades_classic);
  const overall = multi.create(0, 0, { name: 'artifacts'.padEnd(20) });
  const blobs = new Map<string, SingleBar>();
  let done = 0;
  const line = (text: string) => multi.log(`${text}\n`);
  return {
    event(event) {
      if (event.type === 'plan') overall.setTotal(event.artifacts);
      else if (event.type === 'artifact' && !event.referrer) {
        overall.update(++done);
        if (event.status === 'failed') line(`failed  ${event.source}: ${event.reason}`);
        else if (options.dryRun) line(describe(event));
      } else if (event.type === 'bytes' && event.total >= LARGE) {
        let bar = blobs.get(event.digest);
        if (!bar) { bar = multi.create(event.total, 0, { name: event.digest.slice(7, 27) }, { format: '{name} [{bar}] {percentage}% {size}' }); blobs.set(event.digest, bar); }
        bar.update(event.done, { size: formatBytes(event.total) });
        if (event.done >= event.total) { multi.remove(bar); blobs.delete(event.digest); }
      } else if (event.type === 'retry') line(`retry   ${event.what} in ${event.wait_ms} ms: ${event.reason}`);
    },
    summary(summary) {
      multi.stop();
      process.stdout.write(`${summaryText(summary)}\n`);
    },
    stop() {
      multi.stop();
    },
  };
}

function jsonOutput(): ReplicateOutput {
  const last = new Map<string, number>();
  const write = (value: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(snakeKeys(value))}\n`);
  return {
    event(event) {
      if (event.type === 'bytes') {
        const now = Date.now();
        if (event.done < event.total && now - (last.get(event.digest) ?? 0) < 500) return;
        last.set(event.digest, now);
        if (event.done >= event.total) last.delete(event.digest);
      }
      write(event);
    },
    summary(summary) {
      write({ type: 'summary', ...summary });
    },
    stop() {},
  };
}

function describe(event: Extract<ReplicateEvent, { type: 'artifact' }>): string {
  const target = `${event.repo}${event.reference.includes(':') ? '@' : ':'}${event.reference}`;
  if (event.status === 'would-copy') return `copy    ${event.source} -> ${target} (${formatBytes(event.size)}, ${formatBytes(event.bytes)} to send)`;
  return `${event.status.padEnd(7)} ${event.source}${event.reason ? ` (${event.reason})` : ''}`;
}

export function summaryText(s: ReplicateSummary): string {
  const verb = s.dryRun ? 'would copy' : 'copied';
  const lines = [`replicate: ${verb} ${s.copied}, skipped ${s.skipped}, filtered ${s.filtered}, failed ${s.failed}; ${formatBytes(s.bytes)} ${s.dryRun ? 'to send' : 'sent'} in ${(s.durationMs / 1000).toFixed(1)} s (${formatBytes(s.throughput)}/s)`];
  for (const f of s.failures) lines.push(`  failed ${f.artifact}: ${f.reason}`);
  return lines.join('\n');
}
