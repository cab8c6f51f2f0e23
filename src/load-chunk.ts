// Loads a dependency that scripts/build.mjs builds as its own file (dist/chunks/NAME.cjs) instead
// of into the main bundle, and the binary carries as a payload (src/binary-payloads.ts; CHUNKS in build.mjs: undici, the
// AWS SDK, jose, fastify's schema compilers, ...). Each is evaluated only when first used (an
// upstream, S3 storage, OIDC), and the main bundle's source is a string V8 keeps whole in the
// heap, so moving their ~2.6 MB out of it takes that off every server's idle memory (issue 23). The bundle holds a one-line module per package that
// calls this when the package would have been evaluated, so nothing else changes.
import { createRequire } from 'node:module';
import Module from 'node:module';
import path from 'node:path';
import { readPayload } from './binary-payloads.js';

export function loadChunk(name: string): unknown {
  const file = `chunks/${name}.cjs`;
  const sea = process.getBuiltinModule('node:sea');
  if (!sea.isSea()) return createRequire(__filename)(path.join(__dirname, file));
  // Inside the binary there is no file to require: compile the payload as a CommonJS module. A chunk
  // requires nothing but Node's own modules, which any module's require resolves.
  const chunk = new Module(file) as Module & { _compile(source: string, filename: string): void };
  chunk.filename = file;
  chunk.paths = [];
  chunk._compile(readPayload(file).toString('utf8'), file);
  return chunk.exports;
}
