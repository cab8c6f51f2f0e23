// `npm audit` (and the audit step of `npm install`): POST /npm/-/npm/v1/security/advisories/bulk
// and /npm/-/npm/v1/security/audits/quick are forwarded byte for byte (npm gzips the body) to the
// upstream when one is configured; without one the answer is an empty report, so installs never
// fail on audit.
import type { FastifyInstance } from 'fastify';
import { npmAccess } from './npm-request.js';
import type { NpmRouteContext } from './route-context.js';

const EMPTY_QUICK = {
  actions: [], advisories: {}, muted: [],
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0 }, dependencies: 0, devDependencies: 0, optionalDependencies: 0, totalDependencies: 0 },
};
const FORWARDED_HEADERS = ['content-type', 'content-encoding', 'accept', 'npm-command', 'user-agent'];

export async function auditRoutes(app: FastifyInstance, ctx: NpmRouteContext): Promise<void> {
  // Raw bytes in: the body is relayed as sent, compressed or not.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const route = (path: string, empty: unknown) => app.post(path, { config: { access: () => npmAccess('pull', '') } }, async (request, reply) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await ctx.registry.audit(path, headers, Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
    if (!answer) return empty;
    const type = answer.headers['content-type'];
    const encoding = answer.headers['content-encoding'];
    if (typeof type === 'string') reply.type(type);
    if (typeof encoding === 'string') reply.header('content-encoding', encoding);
    return reply.code(answer.status).send(answer.body);
  });
  route('/-/npm/v1/security/advisories/bulk', {});
  route('/-/npm/v1/security/audits/quick', EMPTY_QUICK);
}
