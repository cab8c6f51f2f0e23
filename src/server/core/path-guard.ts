// Rejects hostile request paths before routing or any storage call: dot segments (also when
// percent-encoded), NUL bytes, backslashes, and malformed percent-encoding. Names that pass
// are still validated by each format; this is the first, protocol-independent gate.
import type { FastifyInstance } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';

export function findPathProblem(rawUrl: string): string | undefined {
  const path = rawUrl.split('?', 1)[0]!;
  if (path.includes('\\') || path.includes('\0')) return 'backslash or NUL in path';
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'malformed percent-encoding in path';
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return 'encoded backslash or NUL in path';
    // An encoded slash may legitimately join a name (npm's @scope%2fname); its parts must not be dot segments.
    if (decoded.split('/').some((part) => part === '.' || part === '..')) return 'dot segment in path';
  }
  return undefined;
}

export function registerPathGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const problem = findPathProblem(request.raw.url ?? '/');
    if (problem) throw CommonErrors.INVALID_PATH(problem);
  });
}
