// The web UI at /ui/ (and / redirects there): server-rendered pages, readable without
// JavaScript, built from the format services and the token actions only. Every route decides
// itself who may see what (config.access 'public', then the viewer's pull rights filter every
// name); with access control on and no anonymous pull, an anonymous visitor gets a Basic
// sign-in prompt before any page reads a name.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthErrors } from '../../lib/auth/errors.js';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { isNoraError } from '../../lib/errors/nora-error.js';
import { gcRunnerFor } from '../../lib/ops/gc-runner.js';
import { replicationRunnerFor } from '../../lib/ops/replicate/rules/replication-runner.js';
import { retentionRunnerFor } from '../../lib/ops/retention/runner.js';
import type { FormatName } from '../../lib/formats/format-service.js';
import type { Services } from '../../lib/services.js';
import type { ProtocolContext } from '../protocols.js';
import { createToken, listTokens, revokeToken } from '../core/token-actions.js';
import { ASSETS } from './assets.js';
import { text } from './format-values.js';
import type { Html } from './html.js';
import { FORMAT_TITLES, page } from './layout.js';
import { isFormat } from './links.js';
import { cargoCratePage, cargoVersionPage } from './pages/cargo.js';
import { formatListPage, searchPage, type ListParams } from './pages/lists.js';
import { mavenArtifactPage, mavenVersionPage } from './pages/maven.js';
import { npmPackagePage, npmVersionPage } from './pages/npm.js';
import { ociImagePage, ociRepositoryPage } from './pages/oci.js';
import { overviewPage } from './pages/overview.js';
import { pypiProjectPage, pypiReleasePage } from './pages/pypi.js';
import { tokensPage, type CreatedToken } from './pages/tokens.js';
import { RecentPushes } from './recent-pushes.js';
import { UsageCache } from './usage-cache.js';
import { isSameOrigin, SECURITY_HEADERS } from './security.js';
import { renderUiError } from './ui-error.js';
import { mustSignIn, viewerOf, type Viewer } from './viewer.js';

const FORM_LIMIT = 16 * 1024;

type NamePage = (services: Services, viewer: Viewer, name: string, page: string | undefined) => Promise<Html | undefined>;
type VersionPage = (services: Services, viewer: Viewer, name: string, version: string) => Promise<Html | undefined>;

/** Each format's page of one name and of one version; undefined when nothing is stored there. */
const PAGES: Record<FormatName, { name: NamePage; version: VersionPage }> = {
  oci: { name: ociRepositoryPage, version: ociImagePage },
  npm: { name: npmPackagePage, version: npmVersionPage },
  maven: { name: mavenArtifactPage, version: mavenVersionPage },
  cargo: { name: cargoCratePage, version: cargoVersionPage },
  pypi: { name: pypiProjectPage, version: pypiReleasePage },
};
const query = (request: FastifyRequest) => request.query as Record<string, string | undefined>;
const param = (request: FastifyRequest, key: string): string => {
  const value = query(request)[key];
  return typeof value === 'string' ? value.slice(0, 1024) : '';
};

export async function uiPlugin(app: FastifyInstance, { services, errorShapes }: ProtocolContext): Promise<void> {
  errorShapes.register('/ui', renderUiError);
  const pushes = new RecentPushes(services.events);
  app.addHook('onClose', async () => pushes.close());
  const gc = gcRunnerFor(services);
  const usages = new UsageCache(services);
  const open = { config: { access: 'public' as const } };

  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  // Forms are small: name, lifetime, permissions, or a token id.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const send = (reply: FastifyReply, viewer: Viewer | undefined, title: string, body: Html, q = '') =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(viewer, title, body, q).text);
  /** The viewer, once the sign-in gate has passed. */
  const viewer = (request: FastifyRequest): Viewer => {
    if (mustSignIn(request, services)) throw AuthErrors.UNAUTHORIZED('sign in to browse this registry');
    return viewerOf(request, services);
  };
  const missing = (what: string) => CommonErrors.NOT_FOUND(what);

  app.get('/', open, async (_request, reply) => reply.redirect('/ui/', 302));
  app.get('/ui', open, async (_request, reply) => reply.redirect('/ui/', 301));

  for (const asset of ASSETS) {
    app.get(`/ui/assets/${asset.path}`, open, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body));
  }

  app.get('/ui/sign-in', open, async (request, reply) => {
    if (services.auth.enabled && request.identity.kind === 'anonymous') throw AuthErrors.UNAUTHORIZED('sign in');
    return reply.redirect('/ui/', 303);
  });

  app.get('/ui/', open, async (request, reply) => {
    const v = viewer(request);
    // The runners the API created (the same instances: the UI only reads their state).
    const ops = {
      gc: gc.state,
      retention: () => retentionRunnerFor(services).state,
      replication: () => replicationRunnerFor(services, app.log).status(),
    };
    return send(reply, v, 'Overview', await overviewPage(services, v, pushes, usages, ops));
  });

  app.get('/ui/search', open, async (request, reply) => {
    const v = viewer(request);
    const q = param(request, 'q').trim().slice(0, 200);
    return send(reply, v, q ? `Search ${q}` : 'Search', await searchPage(services, v, q), q);
  });

  app.get('/ui/tokens', open, async (request, reply) => {
    const v = viewer(request);
    return send(reply, v, 'Tokens', tokensPage(v, v.signedIn ? await listTokens(services, request) : []));
  });

  const checkForm = (request: FastifyRequest) => {
    if (!isSameOrigin(request, services.config.server.public_url)) throw AuthErrors.DENIED(request.identity.name, 'post a form from another site');
  };

  app.post('/ui/tokens', open, async (request, reply) => {
    const v = viewer(request);
    checkForm(request);
    const form = (request.body ?? {}) as Record<string, string>;
    const permissions = (form.permissions ?? '').split(/\s+/).filter(Boolean);
    const expires = Number(form.expires_in ?? '');
    let notice: { created?: CreatedToken; error?: string };
    try {
      notice = { created: await createToken(services, request, { name: form.name, ...(permissions.length ? { permissions } : {}), ...(form.expires_in ? { expires_in: expires } : {}) }) };
    } catch (error) {
      // A refused request is shown on the form (its message names only what the user sent).
      if (!isNoraError(error) || error.status === 401 || error.status >= 500) throw error;
      notice = { error: error.message };
      reply.code(error.status);
    }
    return send(reply, v, 'Tokens', tokensPage(v, await listTokens(services, request), notice));
  });

  app.post('/ui/tokens/revoke', open, async (request, reply) => {
    const v = viewer(request);
    checkForm(request);
    const id = text(((request.body ?? {}) as Record<string, unknown>).id);
    const revoked = await revokeToken(services, request, id);
    return send(reply, v, 'Tokens', tokensPage(v, await listTokens(services, request), { revoked: revoked.id }));
  });

  app.get('/ui/:format', open, async (request, reply) => {
    const { format } = request.params as { format: string };
    if (!isFormat(format)) throw missing(`page ${format}`);
    const v = viewer(request);
    const params: ListParams = {};
    for (const key of ['q', 'after', 'group', 'page'] as const) if (param(request, key)) params[key] = param(request, key);
    return send(reply, v, FORMAT_TITLES[format], await formatListPage(services, v, format, params), params.q ?? '');
  });

  app.get('/ui/:format/package', open, async (request, reply) => {
    const { format } = request.params as { format: string };
    const v = viewer(request);
    const name = param(request, 'name');
    const pageParam = param(request, 'page') || undefined;
    // A name the viewer may not pull is "not found", never "forbidden": its existence stays private.
    if (!isFormat(format) || !name || !(await v.canPull(format, name))) throw missing(`${format} ${name}`);
    const body = await PAGES[format].name(services, v, name, pageParam);
    if (!body) throw missing(`${format} ${name}`);
    return send(reply, v, name, body);
  });

  app.get('/ui/:format/version', open, async (request, reply) => {
    const { format } = request.params as { format: string };
    const v = viewer(request);
    const name = param(request, 'name');
    const version = param(request, 'version');
    if (!isFormat(format) || !name || !version || !(await v.canPull(format, name))) throw missing(`${format} ${name}`);
    const body = await PAGES[format].version(services, v, name, version);
    if (!body) throw missing(`${format} ${name} ${version}`);
    return send(reply, v, `${name} ${version}`, body);
  });

}
