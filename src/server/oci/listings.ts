// GET /v2/<name>/tags/list and GET /v2/_catalog: sorted names, n/last pagination, and a Link
// header to the next page.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#content-discovery
import type { ResourceHandlers } from './context.js';
import { nextLink, pageSize } from './http.js';

type Query = Record<string, string | undefined>;

export const tagHandlers: ResourceHandlers<'tags'> = {
  async GET(ctx, path, request, reply) {
    const query = request.query as Query;
    const n = pageSize(query.n);
    const page = await ctx.registry.listTags(path.name, n, query.last);
    if (page.next !== undefined && n !== undefined) reply.header('link', nextLink(`/v2/${path.name}/tags/list`, n, page.next));
    return reply.code(200).send({ name: path.name, tags: page.items });
  },
};

export const catalogHandlers: ResourceHandlers<'catalog'> = {
  async GET(ctx, _path, request, reply) {
    const query = request.query as Query;
    const n = pageSize(query.n);
    const page = await ctx.registry.listRepositories(n, query.last);
    if (page.next !== undefined && n !== undefined) reply.header('link', nextLink('/v2/_catalog', n, page.next));
    // Only what the caller may pull is shown (a page may then hold fewer than n names).
    const shown = await Promise.all(page.items.map((name) => request.allowed({ action: 'pull', format: 'oci', name })));
    return reply.code(200).send({ repositories: page.items.filter((_name, i) => shown[i]) });
  },
};
