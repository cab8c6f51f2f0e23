import { Flags } from '@oclif/core';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { openServicesOrExit } from './open-services.js';
import { outputFlags } from './output/flags.js';
import { NoraCommand } from './output/nora-command.js';

export default class Backup extends NoraCommand {
  static override summary = 'Write a consistent snapshot of the store as a tar.gz archive.';
  static override description = `Streams every artifact of every format (metadata read at one point, then the immutable blobs) with a manifest of contents and digests. Runs beside a live server; nothing is copied to a temporary file.
API tokens (stored as hashes) and the users file ([auth] htpasswd_file) are included; the registry token signing keys only with --include-secrets.
The archive is written to FILE.partial and renamed when complete; a failed or interrupted (Ctrl-C) backup removes FILE.partial.`;

  static override examples = [
    { description: 'To a file', command: '<%= config.bin %> backup -o nora-2026-11-27.tar.gz' },
    { description: 'Straight to S3', command: '<%= config.bin %> backup -o - | aws s3 cp - s3://backups/nora.tar.gz' },
  ];

  static override flags = {
    ...configFlags,
    ...outputFlags,
    output: Flags.string({ char: 'o', description: 'Archive to write; "-" writes to stdout (the result then goes to stderr).', required: true, helpValue: 'FILE' }),
    'include-secrets': Flags.boolean({ description: 'Also back up the token signing key.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Backup);
    const loaded = await loadConfigOrExit(this, flags);
    const { config } = loaded;
    const { writeBackup } = await import('../lib/ops/backup.js');
    const { transientKeys } = await import('../lib/ops/formats.js');
    const { outputMode } = await import('./output/flags.js');
    const { printResult } = await import('./output/print.js');
    const { createProgress, formatBytes } = await import('./output/progress.js');
    const { out } = await import('./output/colour.js');
    const { createWriteStream, rmSync } = await import('node:fs');
    const { readFile, rename } = await import('node:fs/promises');
    const mode = outputMode(flags);
    const htpasswd = config.auth.htpasswd_file ? await readFile(config.auth.htpasswd_file).catch(() => undefined) : undefined;
    const progress = await createProgress(mode);
    const services = await openServicesOrExit(this, loaded);
    const toStdout = flags.output === '-';
    const partial = `${flags.output}.partial`;
    // Ctrl-C (or a SIGTERM) must not leave a half-written archive behind.
    const interrupted = (signal: NodeJS.Signals) => {
      progress.stop();
      if (!toStdout) rmSync(partial, { force: true });
      process.stderr.write(`nora backup: interrupted (${signal})${toStdout ? '' : `; removed ${partial}`}\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    const target = toStdout ? process.stdout : createWriteStream(partial);
    try {
      const report = await writeBackup(services.store, services.blobs, target, {
        includeSecrets: flags['include-secrets'],
        skip: transientKeys(services.formats),
        ...(htpasswd ? { files: { htpasswd } } : {}),
        onProgress: (p) => progress.update(p),
      });
      if (!toStdout) await rename(partial, flags.output);
      progress.stop();
      const text = `backup: ${out.green('written')} ${report.objects} documents, ${report.blobs} blobs (${formatBytes(report.bytes)}) in ${report.durationMs} ms -> ${flags.output}`;
      printResult(mode, { ...report, output: flags.output }, text, toStdout ? process.stderr : process.stdout);
    } catch (error) {
      progress.stop();
      if (!toStdout) rmSync(partial, { force: true });
      throw error;
    } finally {
      process.removeListener('SIGINT', interrupted);
      process.removeListener('SIGTERM', interrupted);
      await services.close();
    }
  }
}
