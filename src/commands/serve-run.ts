// What `nora serve` does once its flags are parsed, shared by the oclif command (serve.ts) and
// main.ts's fast path (serve-fast.ts), which starts the server without evaluating oclif's command
// machinery (issue 23: start time and idle memory). One definition of serve's flags, here.
import { configFlags, serverFlags } from './config-flags.js';
import { configReloader, loadConfigOrExit, type Exits } from './load-config.js';

export const serveFlags = { ...configFlags, ...serverFlags };

/** Starts the server and resolves when it has stopped; a start failure prints one line and exits 1 or 2 through `exits`. */
export async function runServe(flags: Record<string, unknown>, exits: Exits): Promise<void> {
  const loaded = await loadConfigOrExit(exits, flags, { printWarnings: false, requireEnvReferences: true });
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
      return exits.exit(2);
    }
    // A certificate or key NORA cannot use is a setting to fix too: exit 2, naming the key.
    if (error instanceof TlsFilesError) {
      process.stderr.write(`nora: cannot start: ${error.message}\n`);
      return exits.exit(2);
    }
    // A data directory or bucket NORA cannot use is a setting to fix: exit 2, naming it.
    if (isNoraError(error) && error.code.startsWith('STORE_')) {
      const { storeProblem } = await import('./open-services.js');
      process.stderr.write(`nora: cannot start: ${storeProblem('serve', loaded, error.message, error.code).replace(/^nora serve: /, '')}\n`);
      return exits.exit(2);
    }
    // Expected start failures (storage unreachable, port taken) get one clear line, not a stack.
    const known = isNoraError(error) || ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'].includes((error as NodeJS.ErrnoException).code ?? '');
    if (!known) throw error;
    process.stderr.write(`nora: cannot start: ${(error as Error).message}\n`);
    exits.exit(1);
  }
}
