// The simple repository API: GET /simple/ (project list) and GET /simple/<project>/ (files),
// in PEP 691 JSON or PEP 503 HTML by content negotiation, with an ETag for revalidation.
// Non-normalized or slash-less project URLs redirect to the canonical one (PEP 503).
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { Services } from '../../lib/services.js';
import { isValidName, normalizeName } from '../../lib/pypi/names.js';
import { PypiErrors } from '../../lib/pypi/errors.js';
import { negotiate, SIMPLE_JSON, type SimpleType } from '../../lib/pypi/negotiate.js';
import { projectListHtml, projectListJson, projectPageHtml, projectPageJson } from '../../lib/pypi/render-simple.js';
import type { PypiApi } from '../../lib/pypi/registry.js';
import { publicBaseUrl } from '../core/public-url.js';

type ProjectRequest = FastifyRequest<{ Params: { project: string }; Querystring: { format?: string } }>;

const query = (request: FastifyRequest): string => {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at);
};

function chooseType(request: FastifyRequest<{ Querystring: { format?: string } }>): SimpleType {
  const type = negotiate(request.headers.accept, request.query.format);
  if (!type) throw PypiErrors.NOT_ACCEPTABLE(request.query.format ?? request.headers.accept ?? '');
  return type;
}

function sendPage(request: FastifyRequest, reply: FastifyReply, type: SimpleType, body: string) {
  const etag = `"${createHash('sha256').update(type).update(body).digest('hex').slice(0, 32)}"`;
  reply.header('vary', 'Accept').header('etag', etag).header('cache-control', 'max-age=0, must-revalidate');
  reply.header('content-type', type === SIMPLE_JSON ? type : `${type}; charset=utf-8`);
  if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) return reply.code(304).send();
  // A Buffer, so fastify does not append a charset to the PEP 691 media type.
  return reply.send(Buffer.from(body));
}

function checkedName(raw: string): string {
  if (!isValidName(raw)) throw PypiErrors.INVALID_NAME(raw);
  return normalizeName(raw);
}

export function simpleRoutes(app: FastifyInstance, services: Services, registry: PypiApi): void {
  const pullIndex = { access: () => ({ action: 'pull' as const, format: 'pypi', name: '' }) };
  const pullProject = { access: (request: FastifyRequest) => ({ action: 'pull' as const, format: 'pypi', name: normalizeName((request.params as { project: string }).project) }) };

  app.get('/simple', { config: pullIndex }, async (request, reply) => reply.redirect(`/simple/${query(request)}`, 301));

  app.get<{ Querystring: { format?: string } }>('/simple/', { config: pullIndex }, async (request, reply) => {
    const type = chooseType(request);
    const projects = await registry.projectList();
    return sendPage(request, reply, type, type === SIMPLE_JSON ? projectListJson(projects) : projectListHtml(projects));
  });

  app.get('/simple/:project', { config: pullProject }, async (request: ProjectRequest, reply) => {
    return reply.redirect(`/simple/${checkedName(request.params.project)}/${query(request)}`, 301);
  });

  app.get('/simple/:project/', { config: pullProject }, async (request: ProjectRequest, reply) => {
    const project = checkedName(request.params.project);
    if (project !== request.params.project) return reply.redirect(`/simple/${project}/${query(request)}`, 301);
    const type = chooseType(request);
    const page = await registry.projectPage(project, publicBaseUrl(request, services.config.server.public_url));
    if (!page) throw CommonErrors.NOT_FOUND(`project ${project}`);
    return sendPage(request, reply, type, type === SIMPLE_JSON ? projectPageJson(page) : projectPageHtml(page));
  });
}
