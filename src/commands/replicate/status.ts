import { Command, Flags } from '@oclif/core';
import { apiFlags } from '../api-client.js';
import type { RuleStatus } from '../../lib/ops/replicate/rules/replication-runner.js';

export default class ReplicateStatus extends Command {
  static override summary = 'Show the [[replication]] rules of a running server.';
  static override description = `Per rule: items waiting (and since when), items copied and failed attempts since the server started, bytes sent, the last run and last error, and every failing item with its reason (items that exhausted their attempts are "dead" and stay listed). Reads GET /api/replication.
Exit codes: 0 shown, 1 failure, 2 usage error.`;

  static override examples = [
    { description: 'A table', command: '<%= config.bin %> replicate status --server https://nora.example.com' },
    { description: 'For a script', command: '<%= config.bin %> replicate status --json' },
  ];

  static override flags = {
    ...apiFlags,
    json: Flags.boolean({ description: 'The status as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ReplicateStatus);
    const { callApi, ApiFailure } = await import('../api-client.js');
    let rules: RuleStatus[];
    try {
      rules = (await callApi<{ rules: RuleStatus[] }>(flags, 'GET', 'api/replication')).rules;
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      process.stderr.write(`nora replicate status: ${error.message}\n`);
      return this.exit(error.exitCode);
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ rules }, null, 2)}\n`);
      return;
    }
    if (rules.length === 0) process.stdout.write('no [[replication]] rules\n');
    for (const r of rules) {
      process.stdout.write(`${r.name} -> ${r.remote}: ${r.pending} waiting${r.oldestPending ? ` (oldest ${r.oldestPending})` : ''}, ${r.copied} copied, ${r.failed} failed attempts, ${r.bytes} bytes; last run ${r.lastRun ?? 'never'}${r.lastError ? `; last error: ${r.lastError}` : ''}\n`);
      for (const f of r.failures) process.stdout.write(`  ${f.state} ${f.item.op} ${f.item.repo}:${f.item.tag} after ${f.attempts} attempts: ${f.reason}\n`);
    }
  }
}
