import { configFlags, serverFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { NoraCommand } from './output/nora-command.js';

export default class Serve extends NoraCommand {
  static override summary = 'Start the registry.';
  static override description = `Serves every registry protocol of this build on one port, with /health, /ready and /metrics beside them.
With no configuration it stores artifacts in ./data and listens on 127.0.0.1:4000. SIGTERM or SIGINT stop it gracefully.
With [server.tls] cert_file and key_file it serves HTTPS; SIGHUP (and a check every server.tls.reload_interval) reloads a renewed certificate without a restart.`;

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
    const { config } = await loadConfigOrExit(this, flags);
    const { startServer } = await import('../server/start.js');
    const { isNoraError } = await import('../lib/errors/nora-error.js');
    const { TlsFilesError } = await import('../server/core/tls-files.js');
    try {
      const server = await startServer(config);
      await server.stopped;
    } catch (error) {
      // Expected start failures (storage unreachable, port taken) get one clear line, not a stack.
      const known = isNoraError(error) || error instanceof TlsFilesError || ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'].includes((error as NodeJS.ErrnoException).code ?? '');
      if (!known) throw error;
      process.stderr.write(`nora: cannot start: ${(error as Error).message}\n`);
      this.exit(1);
    }
  }
}
