import { configFlags, serverFlags } from './config-flags.js';
import { configReloader, loadConfigOrExit } from './load-config.js';
import { NoraCommand } from './output/nora-command.js';

export default class Serve extends NoraCommand {
  static override summary = 'Start the registry.';
  static override description = `Serves every registry protocol of this build on one port, with /health, /ready and /metrics beside them.
With no configuration it stores artifacts in ./data and listens on 127.0.0.1:4000. SIGTERM or SIGINT stop it gracefully.
With [server.tls] cert_file and key_file it serves HTTPS; a check every server.tls.reload_interval reloads a renewed certificate without a restart.
SIGHUP reloads, without a restart, the htpasswd file, the TLS certificate and key, and log.level from the configuration; the log names any other changed setting as needing a restart.`;

  static override examples = [
    { description: 'Zero config: ./data on 127.0.0.1:4000', command: '<%= config.bin %> serve' },
    { description: 'From a config file', command: '<%= config.bin %> serve --config /etc/nora/nora.toml' },
    { description: 'All interfaces, another port and data directory', command: '<%= config.bin %> serve --host 0.0.0.0 --port 5000 --data-dir /var/lib/nora' },
    { description: 'HTTPS with its own certificate', command: 'NORA_SERVER_TLS_CERT_FILE=/etc/nora/tls.crt NORA_SERVER_TLS_KEY_FILE=/etc/nora/tls.key <%= config.bin %> serve --host 0.0.0.0' },
    { description: 'Behind a TLS proxy', command: 'NORA_SERVER_TRUSTED_PROXIES=10.0.0.1 <%= config.bin %> serve --public-url https://nora.example.com' },
  ];

  static override flags = { ...configFlags, ...serverFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const loaded = await loadConfigOrExit(this, flags, { printWarnings: false, requireEnvReferences: true });
    const { config } = loaded;
    const { startServer } = await import('../server/start.js');
    const { isNoraError } = await import('../lib/errors/nora-error.js');
    const { TlsFilesError } = await import('../server/core/tls-files.js');
    try {
      const reloadConfig = await configReloader(flags, { requireEnvReferences: true });
      const server = await startServer(config, { ...(loaded.file ? { file: loaded.file } : {}), origin: (key) => loaded.origin(key), warnings: loaded.warnings, reloadConfig });
      await server.stopped;
    } catch (error) {
      const { ConfigError } = await import('../lib/config/config-error.js');
      if (error instanceof ConfigError) {
        process.stderr.write(`nora: cannot start: the configuration cannot work\n${error.message.replace(/^/gm, '  ')}\n`);
        return this.exit(2);
      }
      // A certificate or key NORA cannot use is a setting to fix too: exit 2, naming the key.
      if (error instanceof TlsFilesError) {
        process.stderr.write(`nora: cannot start: ${error.message}\n`);
        return this.exit(2);
      }
      // A data directory or bucket NORA cannot use is a setting to fix: exit 2, naming it.
      if (isNoraError(error) && error.code.startsWith('STORE_')) {
        const { storeProblem } = await import('./open-services.js');
        process.stderr.write(`nora: cannot start: ${storeProblem('serve', loaded, error.message, error.code).replace(/^nora serve: /, '')}\n`);
        return this.exit(2);
      }
      // Expected start failures (storage unreachable, port taken) get one clear line, not a stack.
      const known = isNoraError(error) || ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'].includes((error as NodeJS.ErrnoException).code ?? '');
      if (!known) throw error;
      process.stderr.write(`nora: cannot start: ${(error as Error).message}\n`);
      this.exit(1);
    }
  }
}
