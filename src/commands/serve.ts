// `nora serve` as an oclif command: its help text, and the body (serve-run.ts) when oclif runs it
// (`nora serve` alone takes main.ts's fast path, serve-fast.ts, with the same flags and body).
import { NoraCommand } from './output/nora-command.js';
import { runServe, serveFlags } from './serve-run.js';

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

  static override flags = serveFlags;

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    await runServe(flags, this);
  }
}
