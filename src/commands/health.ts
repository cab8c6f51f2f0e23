import { Flags } from '@oclif/core';
import { configFlags, serverFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';
import { NoraCommand } from './output/nora-command.js';

// A probe for places that can only run a program (a container HEALTHCHECK, a systemd watchdog
// script): the image has no curl, and the server's own binary knows where it listens.
export default class Health extends NoraCommand {
  static override summary = 'Ask a running server whether it is alive (GET /health) or ready (--ready, GET /ready).';
  static override description = `Without --url the address comes from the configuration, as \`nora serve\` reads it: server.port on 127.0.0.1 (or server.host when it names one address), https when [server.tls] is set. The certificate is not verified: the probe only reads the status of the server next to it.
Prints the status and the body; exit code 0 when the answer is 200, 1 otherwise (unreachable, timeout, another status).`;

  static override examples = [
    { description: 'Container health check (the image runs this)', command: '<%= config.bin %> health' },
    { description: 'Readiness of a server elsewhere', command: '<%= config.bin %> health --ready --url http://nora.internal:4000' },
  ];

  static override flags = {
    ...configFlags,
    host: serverFlags.host,
    port: serverFlags.port,
    url: Flags.string({ description: 'Base URL of the server (default: from the configuration).', helpValue: 'URL' }),
    ready: Flags.boolean({ description: 'Ask /ready (the store answers) instead of /health (the process answers).' }),
    timeout: Flags.integer({ description: 'Seconds to wait for the answer.', default: 5, min: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Health);
    const base = flags.url ?? (await this.configuredUrl(flags));
    let target: URL;
    try {
      target = new URL(flags.ready ? 'ready' : 'health', base.endsWith('/') ? base : `${base}/`);
    } catch {
      this.fail(`--url "${base}" is not a URL: write it as http://HOST:PORT`, 2);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') this.fail(`--url "${base}" is not an http(s) URL`, 2);
    const { probeStatus } = await import('./health-probe.js');
    const answer = await probeStatus(target, flags.timeout * 1000);
    if ('error' in answer) this.fail(`${target.href}: ${answer.error}`);
    process.stdout.write(`${answer.status} ${target.href} ${answer.body.trim()}\n`);
    if (answer.status !== 200) this.exit(1);
  }

  private async configuredUrl(flags: Record<string, unknown>): Promise<string> {
    const { config } = await loadConfigOrExit(this, flags);
    const wildcard = ['', '0.0.0.0', '::', '[::]'].includes(config.server.host);
    const host = wildcard ? '127.0.0.1' : config.server.host.includes(':') && !config.server.host.startsWith('[') ? `[${config.server.host}]` : config.server.host;
    const scheme = config.server.tls.cert_file ? 'https' : 'http';
    return `${scheme}://${host}:${config.server.port}/`;
  }
}
