import { Flags } from '@oclif/core';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { openServicesOrExit } from './open-services.js';
import { outputFlags } from './output/flags.js';
import { NoraCommand } from './output/nora-command.js';

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

export default class Restore extends NoraCommand {
  static override summary = 'Restore a backup archive into the store.';
  static override description = `Verifies every blob digest while restoring and writes metadata only after the whole archive checked out, so a corrupted or truncated archive fails with a clear message and leaves no artifact visible.
Refuses a store that already holds artifacts unless --force. The users file the backup carried is written to [auth] htpasswd_file when that is set (an existing file is kept unless --force).`;

  static override examples = [
    { description: 'Into an empty data directory', command: '<%= config.bin %> restore -i nora-2026-11-27.tar.gz --data-dir /var/lib/nora' },
    { description: 'From S3', command: 'aws s3 cp s3://backups/nora.tar.gz - | <%= config.bin %> restore -i -' },
  ];

  static override flags = {
    ...configFlags,
    ...outputFlags,
    input: Flags.string({ char: 'i', description: 'Archive to read; "-" reads stdin.', required: true, helpValue: 'FILE' }),
    force: Flags.boolean({ description: 'Restore into a store that already holds artifacts (merging).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Restore);
    const loaded = await loadConfigOrExit(this, flags);
    const { config } = loaded;
    const { restoreBackup } = await import('../lib/ops/restore.js');
    const { outputMode } = await import('./output/flags.js');
    const { printResult } = await import('./output/print.js');
    const { createProgress, formatBytes } = await import('./output/progress.js');
    const { out } = await import('./output/colour.js');
    const { createReadStream, statSync } = await import('node:fs');
    const { Transform } = await import('node:stream');
    const fromStdin = flags.input === '-';
    const size = fromStdin ? 0 : statSync(flags.input, { throwIfNoEntry: false })?.size;
    if (size === undefined) this.fail(`no such file: ${flags.input}`, 3);
    const mode = outputMode(flags);
    const progress = await createProgress(mode);
    const services = await openServicesOrExit(this, loaded, 'create');
    try {
      // The bar follows the archive bytes read (of the file's size): it moves in every phase.
      let read = 0;
      let blobs = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          read += chunk.length;
          progress.update({ phase: 'archive', done: blobs, bytes: read, totalBytes: size });
          callback(null, chunk);
        },
      });
      (fromStdin ? process.stdin : createReadStream(flags.input)).on('error', (error: Error) => counted.destroy(error)).pipe(counted);
      const report = await restoreBackup(services.store, services.blobs, counted, {
        force: flags.force, announce: { formats: services.formats, events: services.events },
        onProgress: (p) => { if (p.phase === 'blobs') blobs = p.done; else progress.update({ phase: 'metadata', done: p.done }); },
      });
      progress.stop();
      const users = await restoreUsers(config.auth.htpasswd_file, report.files.htpasswd, flags.force);
      const { files: _files, ...summary } = report;
      printResult(mode, { ...summary, users }, `restore: ${out.green('restored')} ${report.objects} documents, ${report.blobs} blobs (${formatBytes(report.bytes)}) in ${report.durationMs} ms; users file ${users}`);
    } finally {
      progress.stop();
      await services.close();
    }
  }
}
