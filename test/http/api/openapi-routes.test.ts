// The OpenAPI document against the routes the server really has: every /api route is documented
// and every documented operation exists, with the same path parameters; a minimal request to each
// operation (no parameters, no body, anonymous) answers a status the document lists; every key
// of the schemas of answers is snake_case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { OPENAPI } from '../../../src/server/api/openapi.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t.close(); });

/** "METHOD /path/:param" of every route, from fastify's route tree (HEAD is fastify's own). */
function routes(tree: string): Set<string> {
  const found = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    stack.length = match[1]!.length / 4;
    stack.push(match[2]!);
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') found.add(`${method} ${stack.join('')}`);
  }
  return found;
}

type Operation = { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> };
const documented = Object.entries(OPENAPI.paths as Record<string, Record<string, Operation>>)
  .flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })));
const fastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

describe('the OpenAPI document matches the routes', () => {
  it('documents every /api route and no other', () => {
    const api = [...routes(t.app.printRoutes({ commonPrefix: false }))].filter((route) => route.split(' ')[1]!.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(5);
    expect(documented.map(({ method, path }) => `${method} ${fastifyPath(path)}`).sort()).toEqual(api.sort());
  });

  it.each(documented)('$method $path: the same path parameters, and a minimal request answers a documented status', async ({ method, path, operation }) => {
    const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    expect((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(inPath);
    const response = await t.app.inject({ method: method as 'GET', url: path.replace(/\{(\w+)\}/g, 'x') });
    expect(Object.keys(operation.responses), `${method} ${path} answered ${response.statusCode}: ${response.body.slice(0, 200)}`).toContain(String(response.statusCode));
  });

  it('names every property of the answers in snake_case', () => {
    const keys: string[] = [];
    (function walk(node: unknown): void {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties') keys.push(...Object.keys(value as object));
        walk(value);
      }
    })([OPENAPI.components.schemas, OPENAPI.paths]);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((key) => !/^[a-z][a-z0-9_]*$/.test(key))).toEqual([]);
  });
});
