// Builds the HTTP server from Services: core hooks (request ids, path guard, access
// declarations, access log, metrics, errors), health endpoints, then every protocol plugin.
// Listening and signals are start.ts's job, so tests can use `app.inject()` on this directly.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Services } from '../lib/services.js';
import { requestContext } from '../lib/events/request-context.js';
import { registerAccessLog } from './core/access-log.js';
import { registerClientAddress } from './core/client-address.js';
import { ErrorShapes } from './core/error-shapes.js';
import { registerErrorHandler } from './core/error-handler.js';
import { lazySchemaCompilers } from './core/lazy-schema-compilers.js';
import { registerParsedBodyLimit } from './core/parsed-body.js';
import { registerPathGuard } from './core/path-guard.js';
import { requestIdOf, registerRequestIdEcho } from './core/request-id.js';
import { requestLogger } from './core/request-logger.js';
import { registerRouteAccess } from './core/route-access.js';
import { registerRepositoryTraffic } from './core/repository-traffic.js';
import { registerTracing } from './core/tracing.js';
import { authRoutes } from './auth/plugin.js';
import { healthRoutes } from './health/routes.js';
import { PROTOCOLS, type Protocol } from './protocols.js';

export interface AppOptions {
  services: Services;
  logger?: Logger;
  /** Protocols to mount (default: all of PROTOCOLS). */
  protocols?: Protocol[];
  /** Serve HTTPS with this certificate and key (start.ts loads them from [server.tls]). */
  https?: { cert: Buffer; key: Buffer };
}

export async function buildApp({ services, logger, protocols = PROTOCOLS, https }: AppOptions): Promise<FastifyInstance> {
  const { server } = services.config;
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    ...(https ? { https } : {}),
    // Our own access log writes one line per request (core/access-log.ts), not fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'req_id' }),
    childLoggerFactory: requestLogger,
    genReqId: requestIdOf,
    trustProxy: server.trusted_proxies.length > 0 ? server.trusted_proxies : false,
    bodyLimit: server.body_limit,
    keepAliveTimeout: server.keep_alive_timeout,
    // Registry paths are long (nested repositories, Maven coordinates); names are checked per format.
    routerOptions: { maxParamLength: 2048, ignoreDuplicateSlashes: false },
    forceCloseConnections: 'idle',
    schemaController: { compilersFactory: lazySchemaCompilers },
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  const errorShapes = new ErrorShapes();
  registerClientAddress(app);
  // Audit lines written while serving a request carry its address and id.
  app.addHook('onRequest', (request, _reply, done) => requestContext.run({ address: request.clientAddress, request_id: request.id }, done));
  if (services.tracing) registerTracing(app, services.tracing.tracer);
  registerAccessLog(app, services.metrics);
  registerRepositoryTraffic(app, services.tenants, services.repositoryMetrics);
  registerRequestIdEcho(app);
  registerPathGuard(app);
  const { auth } = services;
  registerRouteAccess(app, {
    authorizer: services.authorizer,
    ...(auth.enabled ? { identify: (request) => auth.authenticate(request.headers.authorization, request.clientAddress, request.id) } : {}),
  });
  registerErrorHandler(app, errorShapes);
  registerParsedBodyLimit(app, server);

  await app.register(healthRoutes, { services });
  await app.register(authRoutes, { services });
  for (const protocol of protocols) {
    await app.register(protocol.plugin, { prefix: protocol.prefix, services, errorShapes });
  }
  await app.ready();
  return app;
}
