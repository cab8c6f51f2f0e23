import { Flags } from '@oclif/core';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { openServicesOrExit } from './open-services.js';
import { outputFlags } from './output/flags.js';
import { NoraCommand } from './output/nora-command.js';

export default class Gc extends NoraCommand {
  static override summary = 'Delete blobs no artifact references (online garbage collection).';
  static override description = `Marks every blob referenced by any format's metadata (OCI manifests and repository links, npm, Maven, Cargo and PyPI documents, cached upstream metadata), then deletes unreferenced blobs older than [gc] grace and upload sessions or temporary objects older than [gc] upload_ttl.
Runs beside a live server on the same store without stopping pushes: blobs written within the grace window are never candidates, and references written during the run are re-checked before each batch of deletions.`;

  static override examples = [
    { description: 'See what would go', command: '<%= config.bin %> gc --dry-run' },
    { description: 'Collect the store of /etc/nora/nora.toml', command: '<%= config.bin %> gc --config /etc/nora/nora.toml' },
    { description: 'A shorter grace window, JSON output', command: '<%= config.bin %> gc --grace 10m --json' },
  ];

  static override flags = {
    ...configFlags,
    ...outputFlags,
    'dry-run': Flags.boolean({ description: 'List what would be deleted and the bytes it would free; delete nothing.' }),
    grace: Flags.string({ description: 'Grace window for this run, e.g. "30m" [gc.grace].', helpValue: 'DURATION' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Gc);
    const loaded = await loadConfigOrExit(this, flags);
    const { config } = loaded;
    const { parseDuration } = await import('../lib/config/units.js');
    const grace = flags.grace === undefined ? config.gc.grace : parseDuration(flags.grace);
    if (grace === undefined) this.fail(`--grace: expected a duration such as "30s", "5m", "1h" or "2d", got "${flags.grace}"`, 2);
    const { runGc } = await import('../lib/ops/gc.js');
    const { GcProgress } = await import('../lib/ops/gc-progress.js');
    const { outputMode } = await import('./output/flags.js');
    const { printResult } = await import('./output/print.js');
    const { createProgress, formatBytes } = await import('./output/progress.js');
    const { out } = await import('./output/colour.js');
    const mode = outputMode(flags);
    const bars = await createProgress(mode);
    const services = await openServicesOrExit(this, loaded);
    // Scanning and marking count objects; the sweep counts the candidates it deletes.
    const progress = new GcProgress((r) => {
      if (r.phase === 'done' || r.phase === 'failed' || r.phase === 'idle') return;
      const sweeping = r.phase === 'sweep';
      bars.update({ phase: r.phase, done: sweeping ? r.blobsFreed : r.scanned, total: sweeping ? r.candidates : 0 });
    });
    try {
      const report = await runGc(services.store, services.blobs, { formats: services.formats, graceMs: grace, uploadTtlMs: config.gc.upload_ttl, dryRun: flags['dry-run'], progress });
      bars.stop();
      const lines = flags['dry-run'] ? report.deleted.map((d) => `would delete ${d.digest} (${formatBytes(d.size)})`) : [];
      const verb = flags['dry-run'] ? out.yellow('would free') : out.green('freed');
      printResult(mode, report, [...lines, `gc: ${verb} ${report.blobsFreed} blobs, ${formatBytes(report.bytesFreed)} in ${report.durationMs} ms (${report.scanned} blobs scanned, ${report.marked} referenced, ${report.linksRemoved} stale links, ${report.uploadsRemoved} upload sessions, ${report.tempRemoved} temp objects)`].join('\n'));
    } finally {
      bars.stop();
      await services.close();
    }
  }
}
