import { Command, Flags } from '@oclif/core';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { openServicesOrExit } from './open-services.js';

export default class Backup extends Command {
  static override summary = 'Write a consistent snapshot of the store as a tar.gz archive.';
  static override description = `Streams every artifact of every format (metadata read at one point, then the immutable blobs) with a manifest of contents and digests. Runs beside a live server; nothing is copied to a temporary file.
API tokens (stored as hashes) and the users file ([auth] htpasswd_file) are included; the registry token signing keys only with --include-secrets.`;

  static override examples = [
    { description: 'To a file', command: '<%= config.bin %> backup -o nora-2026-11-27.tar.gz' },
    { description: 'Straight to S3', command: '<%= config.bin %> backup -o - | aws s3 cp - s3://backups/nora.tar.gz' },
  ];

  static override flags = {
    ...configFlags,
    output: Flags.string({ char: 'o', description: 'Archive to write; "-" writes to stdout.', required: true, helpValue: 'FILE' }),
    'include-secrets': Flags.boolean({ description: 'Also back up the token signing key.' }),
    json: Flags.boolean({ description: 'Progress and the result as JSON lines.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Backup);
    const loaded = await loadConfigOrExit(this, flags);
    const { config } = loaded;
    const { writeBackup } = await import('../lib/ops/backup.js');
    const { transientKeys } = await import('../lib/ops/formats.js');
    const { createReporter, formatBytes } = await import('./reporter.js');
    const { createWriteStream } = await import('node:fs');
    const { readFile, rm } = await import('node:fs/promises');
    const htpasswd = config.auth.htpasswd_file ? await readFile(config.auth.htpasswd_file).catch(() => undefined) : undefined;
    const reporter = await createReporter({ json: flags.json });
    const services = await openServicesOrExit(this, loaded);
    const toStdout = flags.output === '-';
    const out = toStdout ? process.stdout : createWriteStream(`${flags.output}.partial`);
    try {
      const report = await writeBackup(services.store, services.blobs, out, {
        includeSecrets: flags['include-secrets'],
        skip: transientKeys(services.formats),
        ...(htpasswd ? { files: { htpasswd } } : {}),
        onProgress: (p) => reporter.progress({ ...p }),
      });
      if (!toStdout) await (await import('node:fs/promises')).rename(`${flags.output}.partial`, flags.output);
      reporter.result({ ...report, output: flags.output }, `backup: ${report.objects} documents, ${report.blobs} blobs (${formatBytes(report.bytes)}) in ${report.durationMs} ms -> ${flags.output}`, toStdout ? process.stderr : process.stdout);
    } catch (error) {
      reporter.stop();
      if (!toStdout) await rm(`${flags.output}.partial`, { force: true });
      process.stderr.write(`nora backup: failed: ${(error as Error).message}\n`);
      this.exit(1);
    } finally {
      await services.close();
    }
  }
}
