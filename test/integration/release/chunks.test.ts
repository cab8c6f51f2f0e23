// The packages scripts/build.mjs builds as their own files (issue 23: their source stays out of
// the main bundle, which V8 keeps whole in the idle heap): each chunk loads on its own and gives
// what the package gives, and the main bundle holds none of them, only the call that loads them.
// Through the binary the chunks are payloads (src/binary-payloads.ts): the upstream, S3-redirect, OIDC login and
// replicate --semver tests run that path with NORA_BIN.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/nora-process.js';

const EXPECTED: Record<string, (chunk: Record<string, unknown>) => unknown> = {
  undici: (c) => typeof c.request,
  'aws-s3': (c) => [typeof c.S3Client, typeof c.Upload, typeof c.getSignedUrl],
  jose: (c) => typeof c.jwtVerify,
  'ajv-compiler': (c) => typeof c,
  'fjs-compiler': (c) => typeof c,
  'light-my-request': (c) => typeof c,
  semver: (c) => typeof c.validRange,
  'otel-api': (c) => [typeof (c.trace as { getSpan?: unknown }).getSpan, typeof (c.context as { active?: unknown }).active],
};

describe.skipIf(process.env.NORA_BIN)('bundle chunks', () => {
  const dist = path.join(ROOT, 'dist');
  const load = createRequire(__filename);

  it.each(Object.keys(EXPECTED))('%s loads from dist/chunks and is not in dist/nora.cjs', (name) => {
    const chunk = load(path.join(dist, 'chunks', `${name}.cjs`)) as Record<string, unknown>;
    const kind = EXPECTED[name]!(chunk);
    expect(([] as unknown[]).concat(kind).every((k) => k === 'function')).toBe(true);
    const bundle = readFileSync(path.join(dist, 'nora.cjs'), 'utf8');
    expect(bundle).toContain(`loadChunk(${JSON.stringify(name)})`);
  });

  it('keeps the chunked packages out of the main bundle', () => {
    const bundle = readFileSync(path.join(dist, 'nora.cjs'), 'utf8');
    // fastify's error serializer keeps fast-json-stringify's small lib/serializer.js in the bundle.
    for (const file of ['undici/', '@aws-sdk/client-s3/', '@smithy/core/', 'jose/', 'ajv/', 'fast-json-stringify/index.js', 'light-my-request/', 'semver/', '@opentelemetry/api/']) {
      expect(bundle, file).not.toContain(`node_modules/${file}`);
    }
    expect(bundle).toContain('node_modules/fastify/');
  });
});
