import { Flags } from '@oclif/core';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { openServicesOrExit } from './open-services.js';
import { outputFlags } from './output/flags.js';
import { NoraCommand } from './output/nora-command.js';

const TO_KEYS: Record<string, string> = {
  'to-data-dir': 'storage.data_dir',
  'to-s3-bucket': 'storage.s3.bucket',
  'to-s3-endpoint': 'storage.s3.endpoint',
  'to-s3-region': 'storage.s3.region',
  'to-s3-prefix': 'storage.s3.prefix',
};

export default class Migrate extends NoraCommand {
  static override summary = 'Copy every artifact from this store into another one (fs <-> S3).';
  static override description = `The source is the configured store, found exactly as \`serve\` finds it (--config, NORA_*, --data-dir, --storage). The target is described by --to-config (a nora.toml whose [storage] section names it; NORA_* variables do not apply to it) and/or the --to-* flags, which override that file.
Digests are verified on the way; objects already present and equal are skipped, so an interrupted run simply resumes. Each version copied is one "push" line (actor "migrate") in the target's audit log. Exits 1 with the list of failed objects if anything could not be copied.`;

  static override examples = [
    { description: 'Local directory to a bucket', command: '<%= config.bin %> migrate --data-dir ./data --to-s3-bucket nora --to-s3-region eu-west-1' },
    { description: 'Into MinIO', command: '<%= config.bin %> migrate --to-s3-bucket nora --to-s3-endpoint http://minio:9000 --to-s3-path-style' },
    { description: 'Back from S3 to a directory', command: '<%= config.bin %> migrate --config s3.toml --to-data-dir /var/lib/nora' },
    { description: 'Between two configured stores', command: '<%= config.bin %> migrate --config old.toml --to-config new.toml --dry-run' },
  ];

  static override flags = {
    ...configFlags,
    ...outputFlags,
    'to-config': Flags.string({ description: 'Config file whose [storage] section is the target.', helpValue: 'FILE' }),
    'to-data-dir': Flags.string({ description: 'Target: a local directory (fs store).', helpValue: 'DIR' }),
    'to-s3-bucket': Flags.string({ description: 'Target: an S3 bucket.', helpValue: 'BUCKET' }),
    'to-s3-endpoint': Flags.string({ description: 'Target S3 endpoint (S3-compatible services).', helpValue: 'URL' }),
    'to-s3-region': Flags.string({ description: 'Target S3 region.', helpValue: 'REGION' }),
    'to-s3-prefix': Flags.string({ description: 'Target key prefix inside the bucket.', helpValue: 'PREFIX' }),
    'to-s3-path-style': Flags.boolean({ description: 'Address the target bucket path-style (MinIO, s3rver).' }),
    'dry-run': Flags.boolean({ description: 'Count what would be copied; copy nothing.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Migrate);
    const loaded = await loadConfigOrExit(this, flags);
    const { config } = loaded;
    const targetFlags: Record<string, string | undefined> = Object.fromEntries(Object.entries(TO_KEYS).map(([flag, key]) => [key, (flags as Record<string, string | undefined>)[flag]]));
    if (flags['to-data-dir']) targetFlags['storage.backend'] = 'fs';
    if (flags['to-s3-bucket']) targetFlags['storage.backend'] = 's3';
    if (flags['to-s3-path-style']) targetFlags['storage.s3.path_style'] = 'true';
    if (!flags['to-config'] && !flags['to-data-dir'] && !flags['to-s3-bucket']) this.fail('name the target store: --to-config FILE, --to-data-dir DIR or --to-s3-bucket BUCKET', 2);
    const { loadConfig, ConfigError } = await import('../lib/config/index.js');
    let target;
    try {
      target = loadConfig({ ...(flags['to-config'] ? { configPath: flags['to-config'] } : {}), env: {}, flags: targetFlags }).config;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.fail(`invalid target configuration\n${error.message.replace(/^/gm, '  ')}`, 2);
    }
    const { createServices, auditKeyOf } = await import('../lib/services.js');
    const { sameStore, storeLocation } = await import('../lib/storage/open-store.js');
    if (sameStore(config.storage, target.storage)) this.fail(`the source and the target are the same store (${storeLocation(config.storage)}); name another target`, 2);
    const { migrateStore } = await import('../lib/ops/migrate.js');
    const { outputMode } = await import('./output/flags.js');
    const { printResult } = await import('./output/print.js');
    const { createProgress, formatBytes } = await import('./output/progress.js');
    const { out } = await import('./output/colour.js');
    const mode = outputMode(flags);
    const progress = await createProgress(mode);
    const source = await openServicesOrExit(this, loaded);
    // The target's own services: its format services read what arrived, and its bus feeds its audit log.
    // A dry run writes nothing, not even the marker of a new target store.
    const to = await createServices(target, { open: { mode: flags['dry-run'] ? 'inspect' : 'create' } }).catch(async (error: unknown) => {
      progress.stop();
      await source.close();
      const { isNoraError } = await import('../lib/errors/nora-error.js');
      if (isNoraError(error) && error.code.startsWith('STORE_')) this.fail(`target: ${error.message}`, 2);
      throw error;
    });
    try {
      // Each side's audit log stays its own: the source's is not copied over the target's.
      const auditKeys = new Set([auditKeyOf(config), auditKeyOf(target)].filter((k) => k !== undefined));
      const report = await migrateStore(source.store, to.store, { dryRun: flags['dry-run'], skip: (key) => auditKeys.has(key), announce: { formats: to.formats, events: to.events }, onProgress: (p) => progress.update(p) });
      progress.stop();
      const failed = report.failed.map((f) => `${out.red('failed')}: ${f.key}: ${f.error}`);
      const copied = report.dryRun ? out.yellow('would copy') : out.green('copied');
      printResult(mode, report, [...failed, `migrate${report.dryRun ? ' (dry run)' : ''}: ${copied} ${report.copied} objects (${formatBytes(report.bytes)}), ${report.skipped} already there, ${report.failed.length} failed, ${report.announced} versions announced, ${report.durationMs} ms`].join('\n'));
      if (report.failed.length > 0) this.exit(1);
    } finally {
      progress.stop();
      await source.close();
      await to.close();
    }
  }
}
