// Runs NORA as a service: opens the store, listens, and shuts down gracefully on SIGTERM or
// SIGINT — stop accepting, let in-flight requests finish up to server.shutdown_timeout, then
// close the remaining connections and exit 0. SIGHUP reloads what can reload (core/sighup-reload.ts).
import type { Logger } from 'pino';
import type { NoraConfig } from '../lib/config/schema.js';
import { ConfigError } from '../lib/config/config-error.js';
import { createServices, type Services } from '../lib/services.js';
import { probeConditionalWrites } from '../lib/storage/conditional-probe.js';
import { isStorageError } from '../lib/storage/errors.js';
import { storeLocation } from '../lib/storage/open-store.js';
import { checkAuthSetup } from '../lib/auth/setup-checks.js';
import { NORA_REVISION, NORA_VERSION } from '../lib/version.js';
import { buildApp } from './app.js';
import { readTlsFiles, tlsFilesStamp } from './core/tls-files.js';
import { TlsReloader } from './core/tls-reloader.js';
import { reloadOnSighup, type ReloadSummary } from './core/sighup-reload.js';
import { createLogger, logDestination } from './logger.js';
import { startFields } from './start-line.js';

export interface RunningServer {
  url: string;
  /** Resolves once the server has stopped after a signal or `stop()`. */
  stopped: Promise<void>;
  stop(reason: string): Promise<void>;
  /** With [server.tls]: re-reads the certificate and key now (part of what SIGHUP does). */
  reloadTls?: () => Promise<unknown>;
  /** What SIGHUP runs: htpasswd, TLS files and log.level (core/sighup-reload.ts). */
  reload: () => Promise<ReloadSummary>;
}

export interface StartOptions {
  logger?: Logger;
  /** The config file that was read, for the start line. */
  file?: string;
  /** Where each setting came from (loader.ts), for messages; "default" when unknown. */
  origin?: (key: string) => string;
  /** Configuration warnings to log before starting (a misspelled NORA_* variable). */
  warnings?: string[];
  /**
   * Schedules the periodic "did the TLS files change?" check; returns a cancel function.
   * Default: every server.tls.reload_interval. Tests pass their own trigger instead of waiting.
   */
  tlsCheckTrigger?: (check: () => Promise<unknown>) => () => void;
  /** Re-reads the configuration as it was loaded (serve's file, environment and flags), for SIGHUP. */
  reloadConfig?: () => NoraConfig;
}

function everyInterval(ms: number) {
  return (check: () => Promise<unknown>) => {
    const timer = setInterval(() => void check(), ms);
    timer.unref();
    return () => clearInterval(timer);
  };
}

/**
 * Opens the store, checks the access-control set-up (refusing a start that cannot work, with a
 * ConfigError), listens, and logs one start line naming the store, the config file, the URL and
 * every enabled upstream.
 */
export async function startServer(config: NoraConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.log.level, await logDestination(config.log.format));
  for (const warning of options.warnings ?? []) logger.warn(warning);
  const tlsFiles = config.server.tls.cert_file !== '' ? config.server.tls : undefined;
  // Read the pair before opening the store: a bad certificate is a start failure, not a 500 later.
  const tlsStamp = tlsFiles ? await tlsFilesStamp(tlsFiles) : '';
  const tls = tlsFiles ? await readTlsFiles(tlsFiles) : undefined;
  const services = await createServices(config, {
    // serve creates its store, and proves it can write there before it says "listening".
    open: { mode: 'create', probeWrites: true, onMarker: (outcome) => { if (outcome !== 'opened') logger.info({ store: storeLocation(config.storage), outcome }, `store ${outcome}`); } },
    processMetrics: true,
    onEventError: (error) => logger.error({ err: error }, 'event subscriber failed'),
    log: logger,
  });
  if (config.storage.backend === 's3') await checkConditionalWrites(services, config, logger);
  const setup = await checkAuthSetup(services.auth, options.origin ?? (() => 'default')).catch(async (error: unknown) => {
    await services.close();
    throw error;
  });
  if (setup.errors.length > 0) {
    await services.close();
    throw new ConfigError(setup.errors);
  }
  for (const warning of setup.warnings) logger.warn(warning);
  // Before listening: a hook whose secret is unset stops the start.
  const webhookLog = logger.child({ component: 'webhooks' });
  services.webhooks.start(webhookLog, (hook, result, final) => {
    services.metrics.webhookAttempts.inc({ hook, result: final });
    services.metrics.webhookDuration.observe({ hook }, result.durationMs / 1000);
  });
  const app = await buildApp({ services, logger, ...(tls ? { https: { cert: tls.cert, key: tls.key } } : {}) });
  await app.listen({ host: config.server.host, port: config.server.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  let reloader: TlsReloader | undefined;
  let cancelTlsCheck = () => {};
  if (tlsFiles && tls) {
    const server = app.server as unknown as import('node:tls').Server;
    reloader = new TlsReloader(tlsFiles, (m) => server.setSecureContext({ cert: m.cert, key: m.key }), logger, tlsStamp);
    const check = reloader.check.bind(reloader);
    cancelTlsCheck = (options.tlsCheckTrigger ?? everyInterval(config.server.tls.reload_interval))(check);
    logger.info({ subject: tls.subject, not_after: tls.notAfter, fingerprint256: tls.fingerprint256 }, 'tls certificate loaded');
  }
  const reload = (reason: string) => reloadOnSighup({
    running: config,
    ...(options.reloadConfig ? { loadConfig: options.reloadConfig } : {}),
    loggers: [logger, webhookLog],
    users: services.auth.users,
    ...(reloader ? { tls: reloader } : {}),
    log: logger,
  }, reason);
  const onSighup = () => void reload('SIGHUP');
  process.on('SIGHUP', onSighup);

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => { resolveStopped = resolve; });
  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason, timeout_ms: config.server.shutdown_timeout }, 'shutting down');
      cancelTlsCheck();
      process.off('SIGHUP', onSighup);
      const timer = setTimeout(() => {
        logger.warn('shutdown timeout reached; closing remaining connections');
        app.server.closeAllConnections();
      }, config.server.shutdown_timeout);
      timer.unref();
      await app.close();
      clearTimeout(timer);
      await services.close();
      logger.info('stopped');
      logger.flush();
      resolveStopped();
    })();
    return stopping;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(signal));
  // Said only once the signals are handled: whoever waits for this line may stop the server at once.
  logger.info({ url, ...startFields(config, options.file), version: NORA_VERSION, revision: NORA_REVISION, node: process.version }, 'listening');
  return { url, stopped, stop, reload: () => reload('requested'), ...(reloader ? { reloadTls: () => reloader.reload('requested') } : {}) };
}

/**
 * Several servers on one bucket are safe only if the bucket decides conditional writes: probe it
 * before taking traffic, and refuse to start otherwise unless the operator opted out (loudly).
 */
async function checkConditionalWrites(services: Services, config: NoraConfig, logger: Logger): Promise<void> {
  try {
    await probeConditionalWrites(services.store);
  } catch (error) {
    if (isStorageError(error, 'CONDITIONAL_WRITES_UNSUPPORTED') && config.storage.s3.unsafe_no_conditional_writes) {
      logger.warn({ key: 'storage.s3.unsafe_no_conditional_writes' },
        'UNSAFE: the bucket ignores conditional writes; running anyway because storage.s3.unsafe_no_conditional_writes = true. '
        + 'Run ONE server only on this bucket: several would lose concurrent writes.');
      return;
    }
    await services.close();
    throw error;
  }
}
