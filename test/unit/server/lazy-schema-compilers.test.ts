// fastify's schema compilers load on the first route with a schema (issue 23: no NORA route has
// one, so ajv stays out of start-up); a route that does declare one still validates its input
// and serializes its response as with fastify's defaults.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from '../../../src/server/core/lazy-schema-compilers.js';

describe('lazy schema compilers', () => {
  it('validate a body and serialize a response through ajv and fast-json-stringify', async () => {
    const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers } });
    app.post('/echo', {
      schema: {
        body: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 5 } } },
        response: { 200: { type: 'object', properties: { name: { type: 'string' } } } },
      },
    }, async (request) => ({ name: (request.body as { name: string }).name, secret: 'not in the schema' }));
    try {
      const good = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'abc' } });
      expect(good.statusCode).toBe(200);
      expect(good.json()).toEqual({ name: 'abc' });
      const bad = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'too long' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'FST_ERR_VALIDATION', message: 'body/name must NOT have more than 5 characters' });
    } finally {
      await app.close();
    }
  });
});
