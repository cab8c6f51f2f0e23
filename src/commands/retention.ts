import { Flags } from '@oclif/core';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { openServicesOrExit } from './open-services.js';
import { outputFlags } from './output/flags.js';
import { NoraCommand } from './output/nora-command.js';

export default class Retention extends NoraCommand {
  static override summary = 'Apply the retention rules ([[retention.rules]]) and cache rules ([[retention.cache]]) now.';
  static override description = `Deletes every tag and version the rules in nora.toml say should go, through the format services (one event and one audit line each), and evicts cached upstream content the cache rules name. The bytes are freed by the next \`nora gc\` after its grace window.
--dry-run prints every artifact that would go with the rule and the conditions that decided, and the bytes gc would then free; the real run deletes exactly that list (anything pushed again since it was planned is skipped) and prints a summary.
Exit codes: 0 done, 1 a deletion failed, 2 bad configuration.`;

  static override examples = [
    { description: 'See what would go and why', command: '<%= config.bin %> retention --dry-run' },
    { description: 'The same list as JSON', command: '<%= config.bin %> retention --dry-run --json' },
    { description: 'Apply the rules of /etc/nora/nora.toml', command: '<%= config.bin %> retention --config /etc/nora/nora.toml' },
  ];

  static override flags = {
    ...configFlags,
    ...outputFlags,
    'dry-run': Flags.boolean({ description: 'List what would be deleted, why, and the bytes gc would free; delete nothing.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Retention);
    const loaded = await loadConfigOrExit(this, flags);
    const { runPass } = await import('../lib/ops/retention/pass.js');
    const { describeDecision, summarize } = await import('./retention-text.js');
    const { outputMode } = await import('./output/flags.js');
    const { printResult } = await import('./output/print.js');
    const { createProgress } = await import('./output/progress.js');
    const mode = outputMode(flags);
    const bars = await createProgress(mode);
    const services = await openServicesOrExit(this, loaded, 'existing', { pullFlushMs: 0 });
    try {
      const report = await runPass(services, {
        dryRun: flags['dry-run'],
        onProgress: (r, done, total) => { if (r.phase === 'plan' || r.phase === 'delete') bars.update({ phase: r.phase, done, total }); },
      });
      bars.stop();
      const lines = flags['dry-run'] ? [...report.decisions.map((d) => describeDecision(d, true)), ...report.cache.evictions.map((e) => `would evict ${e.format} ${e.name} ${e.reference} from ${e.upstream} (${e.reason})`)] : [];
      printResult(mode, report, [...lines, summarize(report)].join('\n'));
      if (report.error) this.fail(`failed: ${report.error}`);
      if (report.failed.length > 0 || report.cache.failed.length > 0) this.fail(`${report.failed.length + report.cache.failed.length} deletions failed (listed above)`);
    } finally {
      bars.stop();
      await services.close();
    }
  }
}
