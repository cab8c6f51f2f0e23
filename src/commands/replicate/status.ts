import { Flags } from '@oclif/core';
import { apiFlags } from '../api-client.js';
import { NoraCommand } from '../output/nora-command.js';

/** A rule as GET /api/replication answers it (snake_case keys). */
interface RuleAnswer {
  name: string; remote: string; pending: number; oldest_pending?: string; copied: number; failed: number; bytes: number;
  last_run?: string; last_error?: string;
  failures: Array<{ item: { op: string; repo: string; tag: string }; attempts: number; reason: string; state: string }>;
}

export default class ReplicateStatus extends NoraCommand {
  static override summary = 'Show the [[replication]] rules of a running server.';
  static override description = `Per rule: items waiting (and since when), items copied and failed attempts since the server started, bytes sent, the last run and last error, and every failing item with its reason (items that exhausted their attempts are "dead" and stay listed). Reads GET /api/replication.
Exit codes: 0 shown, 1 failure, 2 usage error.`;

  static override examples = [
    { description: 'A summary per rule', command: '<%= config.bin %> replicate status --server https://nora.example.com' },
    { description: 'For a script', command: '<%= config.bin %> replicate status --json' },
  ];

  static override flags = {
    ...apiFlags,
    json: Flags.boolean({ description: 'The status as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ReplicateStatus);
    const { callApi } = await import('../api-client.js');
    const { rules } = await callApi<{ rules: RuleAnswer[] }>(flags, 'GET', 'api/replication');
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ rules }, null, 2)}\n`);
      return;
    }
    if (rules.length === 0) process.stdout.write('no [[replication]] rules\n');
    for (const r of rules) {
      process.stdout.write(`${r.name} -> ${r.remote}: ${r.pending} waiting${r.oldest_pending ? ` (oldest ${r.oldest_pending})` : ''}, ${r.copied} copied, ${r.failed} failed attempts, ${r.bytes} bytes; last run ${r.last_run ?? 'never'}${r.last_error ? `; last error: ${r.last_error}` : ''}\n`);
      for (const f of r.failures) process.stdout.write(`  ${f.state} ${f.item.op} ${f.item.repo}:${f.item.tag} after ${f.attempts} attempts: ${f.reason}\n`);
    }
  }
}
