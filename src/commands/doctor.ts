import { configFlags, serverFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { outputFlags } from './output/flags.js';
import { NoraCommand } from './output/nora-command.js';

export default class Doctor extends NoraCommand {
  static override summary = 'Check a configuration and its environment before serving.';
  static override description = `Loads the configuration as \`nora serve\` would, then checks: the store takes writes and honours create-only writes (a probe object written twice with If-None-Match: * must be refused the second time, as S3 conditional writes require), every upstream of an enabled format answers, the clock agrees with an upstream's Date header, the [server.tls] certificate and key load and belong together, and server.host:port is free.
Prints one line per check and a verdict: healthy, degraded (warnings) or broken. Exit code 0 unless a check failed (1); an invalid configuration exits 2.`;

  static override examples = [
    { description: 'Check the default configuration', command: '<%= config.bin %> doctor' },
    { description: 'Check a config file, for a program', command: '<%= config.bin %> doctor --config /etc/nora/nora.toml --json' },
  ];

  static override flags = { ...configFlags, ...serverFlags, ...outputFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const { config, file } = await loadConfigOrExit(this, flags);
    const { openStore } = await import('../lib/storage/open-store.js');
    const { probeStore } = await import('../lib/ops/doctor/store-probe.js');
    const { probeUpstreams, upstreamTargets } = await import('../lib/ops/doctor/upstream-probe.js');
    const { probePort } = await import('../lib/ops/doctor/port-probe.js');
    const { verdictOf } = await import('../lib/ops/doctor/check.js');
    const { checkTls } = await import('../server/core/tls-check.js');
    const { outputMode } = await import('./output/flags.js');
    const { printResult } = await import('./output/print.js');
    const { out } = await import('./output/colour.js');
    type Check = import('../lib/ops/doctor/check.js').DoctorCheck;

    const checks: Check[] = [{ name: 'config', status: 'ok', detail: file ? `${file} is valid` : 'valid (no file: defaults, NORA_* variables and flags)' }];
    const kind = config.storage.backend === 's3' ? `s3 (bucket ${config.storage.s3.bucket})` : config.storage.backend === 'fs' ? `fs (${config.storage.data_dir})` : config.storage.backend;
    const [storeChecks, upstreams, tls, port] = await Promise.all([
      (async (): Promise<Check[]> => {
        let store;
        try {
          store = await openStore(config.storage);
        } catch (error) {
          return [{ name: 'store', status: 'fail', detail: `${kind}: cannot open: ${(error as Error).message}` }];
        }
        try {
          return await probeStore(store, kind);
        } finally {
          await store.close();
        }
      })(),
      probeUpstreams(upstreamTargets(config)),
      checkTls(config.server.tls),
      probePort(config.server.host, config.server.port),
    ]);
    checks.push(...storeChecks, ...upstreams.checks, upstreams.clock, tls, port);
    const verdict = verdictOf(checks);

    const paint = { ok: out.green, warn: out.yellow, fail: out.red, skip: out.dim } as const;
    const width = Math.max(...checks.map((c) => c.name.length));
    const lines = checks.map((c) => `${paint[c.status](c.status.padEnd(4))}  ${c.name.padEnd(width)}  ${c.detail}`);
    const failed = checks.filter((c) => c.status === 'fail').length;
    const warned = checks.filter((c) => c.status === 'warn').length;
    const verdictWord = verdict === 'healthy' ? out.green.bold(verdict) : verdict === 'degraded' ? out.yellow.bold(verdict) : out.red.bold(verdict);
    const summary = `verdict: ${verdictWord} (${checks.length} checks, ${failed} failed, ${warned} warnings)`;
    printResult(outputMode(flags), { verdict, checks }, [...lines, summary].join('\n'));
    if (failed > 0) this.exit(1);
  }
}
