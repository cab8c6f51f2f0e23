// Runs NORA as a service: opens the store, listens, and shuts down gracefully on SIGTERM or
// SIGINT — stop accepting, let in-flight requests finish up to server.shutdown_timeout, then
// close the remaining connections and exit 0.
import type { Logger } from 'pino';
import type { NoraConfig } from '../lib/config/schema.js';
import { createServices, type Services } from '../lib/services.js';
import { probeConditionalWrites } from '../lib/storage/conditional-probe.js';
import { isStorageError } from '../lib/storage/errors.js';
import { NORA_VERSION } from '../lib/version.js';
import { buildApp } from './app.js';
import { createLogger } from './logger.js';

export interface RunningServer {
  url: string;
  /** Resolves once the server has stopped after a signal or `stop()`. */
  stopped: Promise<void>;
  stop(reason: string): Promise<void>;
}

export async function startServer(config: NoraConfig, logger: Logger = createLogger(config.log.level)): Promise<RunningServer> {
  const services = await createServices(config, {
    processMetrics: true,
    onEventError: (error) => logger.error({ err: error }, 'event subscriber failed'),
    log: logger,
  });
  if (config.storage.backend === 's3') await checkConditionalWrites(services, config, logger);
  const app = await buildApp({ services, logger });
  await app.listen({ host: config.server.host, port: config.server.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, version: NORA_VERSION, node: process.version, storage: services.store.kind }, 'listening');

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => { resolveStopped = resolve; });
  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason, timeout_ms: config.server.shutdown_timeout }, 'shutting down');
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
  return { url, stopped, stop };
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
