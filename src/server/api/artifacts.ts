// /api/artifacts, /api/tags and /api/yank: list artifacts of every format, delete one, tag an OCI
// manifest, yank or unyank a cargo or pypi version (what `nora replicate` aligns on a remote).
// Thin: parse the query or body, call src/lib/ops, shape JSON. Errors use NORA's JSON shape.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../lib/services.js';
import { deleteArtifact, tagArtifact, yankArtifact } from '../../lib/ops/artifacts.js';
import { parseArtifactRef } from '../../lib/ops/artifact-ref.js';
import { FORMATS, listArtifactPage, listArtifacts, pageStart, type FormatName, type Listing } from '../../lib/ops/formats.js';
import { OpsErrors } from '../../lib/ops/errors.js';
import { quote } from '../../lib/errors/quote.js';
import { CommonErrors } from '../../lib/errors/catalog.js';

interface ListQuery { type?: string; glob?: string; pulls?: string; limit?: string; after?: string }

/** Most names one page may hold (?limit=). */
const MAX_PAGE = 1000;

function typesOf(request: FastifyRequest): FormatName[] {
  const { type } = request.query as ListQuery;
  if (type === undefined || type === '') return [...FORMATS];
  if (!(FORMATS as readonly string[]).includes(type)) throw OpsErrors.BAD_REFERENCE(type, `type must be one of ${FORMATS.join(', ')}`);
  return [type as FormatName];
}

const refOf = (request: FastifyRequest) => String((request.query as { ref?: string }).ref ?? '');

/** The caller's name for the events a change publishes. */
const actorOf = (request: FastifyRequest) => ({ actor: request.identity?.name ?? 'anonymous' });

export async function artifactRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { formats } = services;
  const accessName = (type: FormatName, name: string) => formats[type].accessName(name);

  app.get('/artifacts', {
    config: { access: (request) => typesOf(request).map((format) => ({ action: 'pull' as const, format, name: '' })) },
  }, async (request) => {
    const { glob, pulls, limit, after } = request.query as ListQuery;
    // Pull data differ between servers of two stores (and with every pull): only when asked.
    const withPulls = ['1', 'true'].includes(pulls ?? '');
    const shape = ({ pulls: count, lastPulled, ...item }: Listing) => (withPulls ? { ...item, pulls: count, ...(lastPulled ? { lastPulled } : {}) } : item);
    const types = typesOf(request);
    // Only what the caller may pull is listed.
    const canPull = (type: FormatName) => (name: string) => request.allowed({ action: 'pull', format: type, name });
    if (limit !== undefined || after !== undefined) {
      const size = limit === undefined ? MAX_PAGE : Number(limit);
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw CommonErrors.INVALID_QUERY(`limit ${quote(limit ?? '')}: limit must be a whole number of names from 1 to ${MAX_PAGE}`);
      if (after !== undefined && !pageStart(types, after)) throw CommonErrors.INVALID_QUERY(`after ${quote(after)}: after must be the "next" of the previous page (<type>:<name>)`);
      const page = await listArtifactPage(formats, types, { limit: size, ...(glob ? { glob } : {}), ...(after !== undefined ? { after } : {}), canPull: (type, name) => canPull(type)(name) });
      return { items: page.items.map(shape), ...(page.next !== undefined ? { next: page.next } : {}) };
    }
    const items = [];
    for (const type of types) {
      for await (const item of listArtifacts(formats, [type], { ...(glob ? { glob } : {}), canPull: canPull(type) })) items.push(shape(item));
    }
    return { items };
  });

  app.delete('/artifacts', {
    config: {
      access: (request) => {
        const ref = parseArtifactRef(refOf(request));
        return { action: 'admin', format: ref.type, name: accessName(ref.type, ref.name) };
      },
    },
  }, async (request) => {
    const dryRun = ['1', 'true'].includes(String((request.query as { dry_run?: string }).dry_run ?? ''));
    // A format may find the name under another spelling (cargo: case, - and _): the caller needs
    // admin on the artifact's own name too, not only on the spelling the reference used.
    const ref = parseArtifactRef(refOf(request));
    const found = await formats[ref.type].read(ref.name, ref.type === 'oci' ? ref.reference : ref.version);
    if (found && found.name !== ref.name) await request.authorize({ action: 'admin', format: ref.type, name: accessName(ref.type, found.name) });
    return { deleted: await deleteArtifact(formats, refOf(request), dryRun, actorOf(request)) };
  });

  app.post('/tags', {
    config: {
      access: (request) => {
        const target = String((request.body as { target?: string } | undefined)?.target ?? '');
        return { action: 'admin', format: 'oci', name: target.replace(/^oci:/, '').split(':')[0] ?? '' };
      },
    },
  }, async (request, reply) => {
    const body = (request.body ?? {}) as { source?: unknown; target?: unknown };
    if (typeof body.source !== 'string' || typeof body.target !== 'string') throw OpsErrors.BAD_REFERENCE(quote(body), 'the body must be {"source": "<repo>:<tag>", "target": "<repo>:<tag>"}');
    // Tagging reads the source: the caller must be allowed to pull it.
    const source = body.source.replace(/^oci:/, '');
    await request.authorize({ action: 'pull', format: 'oci', name: source.split(/[:@]/)[0] ?? '' });
    return reply.code(201).send(await tagArtifact(formats, body.source, body.target, actorOf(request)));
  });

  app.post('/yank', {
    config: {
      access: (request) => {
        const ref = parseArtifactRef(refOf(request));
        return { action: 'push', format: ref.type, name: accessName(ref.type, ref.name) };
      },
    },
  }, async (request) => {
    const yanked = String((request.query as { yanked?: string }).yanked ?? '');
    if (!['true', 'false'].includes(yanked)) throw OpsErrors.BAD_REFERENCE(yanked, 'yanked must be true or false');
    return yankArtifact(formats, refOf(request), yanked === 'true', actorOf(request));
  });
}

