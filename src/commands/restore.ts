import { Command, Flags } from '@oclif/core';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { openServicesOrExit } from './open-services.js';

/** Writes the backed-up htpasswd file where the config expects it; what happened, in one word. */
async function restoreUsers(file: string, body: Buffer | undefined, force: boolean): Promise<string> {
  if (!body) return 'not in the backup';
  if (!file) return 'skipped (no [auth] htpasswd_file configured)';
  const { existsSync } = await import('node:fs');
  const { writeFile } = await import('node:fs/promises');
  if (existsSync(file) && !force) return `kept (${file} exists; --force replaces it)`;
  await writeFile(file, body, { mode: 0o600 });
  return `restored to ${file}`;
}

export default class Restore extends Command {
  static override summary = 'Restore a backup archive into the store.';
  static override description = `Verifies every blob digest while restoring and writes metadata only after the whole archive checked out, so a corrupted or truncated archive fails with a clear message and leaves no artifact visible.
Refuses a store that already holds artifacts unless --force. The users file the backup carried is written to [auth] htpasswd_file when that is set (an existing file is kept unless --force).`;

  static override examples = [
    { description: 'Into an empty data directory', command: '<%= config.bin %> restore -i nora-2026-11-27.tar.gz --data-dir /var/lib/nora' },
    { description: 'From S3', command: 'aws s3 cp s3://backups/nora.tar.gz - | <%= config.bin %> restore -i -' },
  ];

  static override flags = {
    ...configFlags,
    input: Flags.string({ char: 'i', description: 'Archive to read; "-" reads stdin.', required: true, helpValue: 'FILE' }),
    force: Flags.boolean({ description: 'Restore into a store that already holds artifacts (merging).' }),
    json: Flags.boolean({ description: 'Progress and the result as JSON lines.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Restore);
    const loaded = await loadConfigOrExit(this, flags);
    const { config } = loaded;
    const { restoreBackup } = await import('../lib/ops/restore.js');
    const { createReporter, formatBytes } = await import('./reporter.js');
    const { createReadStream, existsSync } = await import('node:fs');
    if (flags.input !== '-' && !existsSync(flags.input)) {
      process.stderr.write(`nora restore: no such file: ${flags.input}\n`);
      return this.exit(3);
    }
    const reporter = await createReporter({ json: flags.json });
    const services = await openServicesOrExit(this, loaded, 'create');
    try {
      const input = flags.input === '-' ? process.stdin : createReadStream(flags.input);
      const report = await restoreBackup(services.store, services.blobs, input, { force: flags.force, announce: { formats: services.formats, events: services.events }, onProgress: (p) => reporter.progress({ ...p }) });
      const users = await restoreUsers(config.auth.htpasswd_file, report.files.htpasswd, flags.force);
      const { files: _files, ...summary } = report;
      reporter.result({ ...summary, users }, `restore: users file ${users}; ${report.objects} documents, ${report.blobs} blobs (${formatBytes(report.bytes)}) in ${report.durationMs} ms`);
    } catch (error) {
      reporter.stop();
      process.stderr.write(`nora restore: ${(error as Error).message}\n`);
      this.exit(1);
    } finally {
      await services.close();
    }
  }
}
