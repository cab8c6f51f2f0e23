// fastify's JSON-schema compilers (ajv for validation, fast-json-stringify for responses), loaded
// on the first route that declares a schema instead of when the app is built. No NORA route
// declares one, so a server never evaluates ajv: by default fastify requires both compilers while
// constructing the app, ~45 ms of CPU before the first answer and their code in the idle heap
// (issue 23, measured with --cpu-prof on the binary).
// The builders are fastify's own defaults, called with the same arguments. One difference: given
// any builder, fastify treats the validator as custom and passes a route's headers schema through
// as written instead of lower-casing its keys, so a future headers schema must name them in lower case.
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type BuildValidator = NonNullable<CompilersFactory['buildValidator']>;
type BuildSerializer = NonNullable<CompilersFactory['buildSerializer']>;

let validatorBuilder: BuildValidator | undefined;
let serializerBuilder: BuildSerializer | undefined;

// A synchronous require (fastify's builders are synchronous), which esbuild turns into a lazy
// init inside the bundle like load-undici's import().
/* eslint-disable @typescript-eslint/no-require-imports */
export const lazySchemaCompilers: CompilersFactory = {
  buildValidator: (externalSchemas, ajvServerOptions) => {
    validatorBuilder ??= (require('@fastify/ajv-compiler') as () => BuildValidator)();
    return validatorBuilder(externalSchemas, ajvServerOptions);
  },
  buildSerializer: (externalSchemas, serializerOptions) => {
    serializerBuilder ??= (require('@fastify/fast-json-stringify-compiler') as () => BuildSerializer)();
    return serializerBuilder(externalSchemas, serializerOptions);
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */
