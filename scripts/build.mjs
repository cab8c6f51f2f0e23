// Bundles src/ into one CommonJS file, dist/nora.cjs: the input of the single-executable build
// and what `bin/run.js` and the tests run. Usage: node scripts/build.mjs [--debug]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The git commit being built (12 hex digits, "-dirty" with uncommitted changes); NORA_REVISION overrides, "unknown" outside git. */
export function gitRevision() {
  if (process.env.NORA_REVISION) return process.env.NORA_REVISION;
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', '--short=12', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? commit : `${commit}-dirty`;
  } catch {
    return 'unknown';
  }
}

// V8 keeps a script's source in its heap with one byte per character only when every character
// is Latin-1, else two: the curly quotes of one UI page made the 4.6 MB bundle a 9.2 MB string of
// idle heap (measured here in a heap snapshot, large-object space). Keeping the bundle ASCII is the
// simple rule that rules this out. esbuild escapes non-ASCII
// characters in strings (charset ascii) but must leave regular expression literals and the raw
// text of tagged templates as written, so those must be ASCII in the sources; this plugin
// escapes the one dependency that is not (ansis: a raw U+009B in a regex character class,
// which `\u009b` matches alike), and the build refuses any other non-ASCII character.
const asciiRegexOfAnsis = {
  name: 'ascii-regex-of-ansis',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]node_modules[\\/]ansis[\\/]index\.c?js$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('\u009b', '\\u009b'),
      loader: 'js',
    }));
  },
};

// @oclif/core's index checks at load that Node satisfies oclif's own `engines` range: it
// evaluates the whole semver package (~45 ms of CPU before the first answer, issue 23) to read
// oclif's package.json, which is not on disk inside the binary, so there the check always fails
// silently. The bundle targets node24 and NORA's own engines ask for as much; the call goes.
const noOclifEngineCheck = {
  name: 'no-oclif-engine-check',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const call = /^checkNodeVersion\(\);$/m;
      if (!call.test(source)) throw new Error(`${args.path}: the checkNodeVersion(); call to drop is gone (new @oclif/core?): check whether semver still loads at start`);
      return { contents: source.replace(call, '// checkNodeVersion(); dropped by scripts/build.mjs'), loader: 'js' };
    });
  },
};

// Modules that dependencies evaluate at load but NORA's serve path never uses (issue 23: each one is
// CPU before the first answer and code in the idle heap). Each edit replaces one exact line with a
// lazy require that runs on first use, so behaviour is unchanged; the build fails when a line is
// gone (a new version of the package), to be looked at again.
//   - prom-client's process CPU counter requires @opentelemetry/api for exemplars, which NORA never
//     enables (~30 ms of CPU);
//   - prom-client's index requires Pushgateway (https, zlib), Summary and AggregatorRegistry
//     (cluster), which NORA does not use;
//   - fastify's server requires node:http2 and node:https, used only for an HTTP/2 or TLS server;
//   - fastify's plugin-utils requires semver (a chunk) only to check a plugin's declared fastify
//     version range; neither NORA's plugins nor fastify's own declare one;
//   - @oclif/core's errors and flags require its help (ejs, the help formatter, the module loader)
//     for `handle` and the --help flag, its errors and parser its logger (the debug package) to log
//     an error or debug the parser, its parser node:readline to read a flag from standard input, its parser's flag usage its ux (spinners, JSON colouring) to
//     colour help text, its error classes wrap-ansi, indent-string, clean-stack and its theme (ansis,
//     supports-color) to render an error: `nora serve` parses its flags with them but shows no help (serve-fast.ts).
const LAZY_REQUIRES = [
  {
    file: /[\\/]node_modules[\\/]prom-client[\\/]lib[\\/]metrics[\\/]processCpuTotal\.js$/,
    edits: [["const OtelApi = require('@opentelemetry/api');",
      "let otelApi; const OtelApi = { get trace() { return (otelApi ??= require('@opentelemetry/api')).trace; }, get context() { return (otelApi ??= require('@opentelemetry/api')).context; } };"]],
  },
  {
    file: /[\\/]node_modules[\\/]prom-client[\\/]index\.js$/,
    edits: ['Summary', 'Pushgateway', 'AggregatorRegistry'].map((name) => {
      const file = { Summary: './lib/summary', Pushgateway: './lib/pushgateway', AggregatorRegistry: './lib/cluster' }[name];
      return [`exports.${name} = require('${file}');`, `Object.defineProperty(exports, '${name}', { enumerable: true, get: () => require('${file}') });`];
    }),
  },
  {
    file: /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]server\.js$/,
    edits: [
      ["const https = require('node:https')", "const https = { createServer: (...args) => require('node:https').createServer(...args) }"],
      ["const http2 = require('node:http2')", "const http2 = { createServer: (...args) => require('node:http2').createServer(...args), createSecureServer: (...args) => require('node:http2').createSecureServer(...args) }"],
    ],
  },
  {
    file: /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]plugin-utils\.js$/,
    edits: [["const semver = require('semver')", "const semver = { gt: (...args) => require('semver').gt(...args), coerce: (...args) => require('semver').coerce(...args), satisfies: (...args) => require('semver').satisfies(...args) }"]],
  },
  {
    file: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/]errors[\\/]index\.js$/,
    edits: [['var handle_1 = require("./handle");', 'var handle_1 = { get handle() { return require("./handle").handle; } };']],
  },
  {
    file: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/]flags\.js$/,
    edits: [['const help_1 = require("./help");', 'const help_1 = { loadHelpClass: (...args) => require("./help").loadHelpClass(...args) };']],
  },
  {
    file: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/](errors[\\/](error|warn)|parser[\\/]parse)\.js$/,
    edits: [['const logger_1 = require("../logger");', 'const logger_1 = { getLogger: (...args) => require("../logger").getLogger(...args), makeDebug: (...args) => require("../logger").makeDebug(...args) };']],
  },
  {
    file: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/]parser[\\/]parse\.js$/,
    edits: [['const node_readline_1 = require("node:readline");', 'const node_readline_1 = { createInterface: (...args) => require("node:readline").createInterface(...args) };']],
  },
  {
    file: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/]parser[\\/]help\.js$/,
    edits: [['const ux_1 = require("../ux");', 'const ux_1 = { colorize: (...args) => require("../ux").colorize(...args) };']],
  },
  ...[['errors/errors/cli', ['clean-stack', 'indent-string', 'wrap-ansi'], '../../ux/theme'], ['errors/errors/pretty-print', ['indent-string', 'wrap-ansi']], ['parser/errors', ['../ux/list'], '../ux/theme']].map(([file, packages, theme]) => ({
    file: new RegExp(`[\\\\/]node_modules[\\\\/]@oclif[\\\\/]core[\\\\/]lib[\\\\/]${file.replaceAll('/', '[\\\\/]')}\\.js$`),
    edits: [
      ...packages.map((pkg) => {
        const name = `${pkg.replace(/^.*\//, '').replace('-', '_')}_1`;
        return [`const ${name} = __importDefault(require("${pkg}"));`, `const ${name} = { get default() { return __importDefault(require("${pkg}")).default; } };`];
      }),
      ...(theme ? [[`const theme_1 = require("${theme}");`, `const theme_1 = { colorize: (...args) => require("${theme}").colorize(...args) };`]] : []),
    ],
  })),
];
const lazyRequires = {
  name: 'lazy-requires',
  setup(pluginBuild) {
    for (const { file, edits } of LAZY_REQUIRES) {
      pluginBuild.onLoad({ filter: file }, async (args) => {
        let source = await readFile(args.path, 'utf8');
        for (const [eager, lazy] of edits) {
          if (source.split(eager).length !== 2) throw new Error(`${args.path}: expected "${eager}" once (new version?): check whether it still loads at start`);
          source = source.replace(eager, lazy);
        }
        return { contents: source, loader: 'js' };
      });
    }
  },
};

// Dependencies built as their own files, dist/chunks/NAME.cjs (the binary carries them as
// payloads, src/binary-payloads.ts), loaded by src/load-chunk.ts when first used. V8 keeps the
// main bundle's whole source in the heap, so every byte of a package that a server may never
// evaluate (no upstream, fs storage, no OIDC) is idle memory: undici, the AWS SDK and jose were
// ~2 MB of the 4.7 MB bundle, ajv and the others below another 0.5 MB (issue 23). In the main
// bundle each import of a listed package resolves to a one-line module that loads the chunk,
// evaluated exactly when the package would have been.
// A chunk must need nothing but Node's own modules; packages that share code (the AWS SDK's
// @smithy parts) go in one chunk so their classes stay one.
export const CHUNKS = {
  undici: { packages: ['undici'], entry: "module.exports = require('undici');" },
  'aws-s3': {
    packages: ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner'],
    entry: "module.exports = { ...require('@aws-sdk/client-s3'), Upload: require('@aws-sdk/lib-storage').Upload, getSignedUrl: require('@aws-sdk/s3-request-presigner').getSignedUrl };",
  },
  jose: { packages: ['jose'], entry: "module.exports = require('jose');" },
  // Made lazy in the main bundle for start-up time (see lazyRequires, src/server/core/lazy-schema-compilers.ts,
  // src/lib/config/load-semver.ts); as chunks their source leaves the idle heap too.
  'ajv-compiler': { packages: ['@fastify/ajv-compiler'], entry: "module.exports = require('@fastify/ajv-compiler');" },
  'fjs-compiler': { packages: ['@fastify/fast-json-stringify-compiler'], entry: "module.exports = require('@fastify/fast-json-stringify-compiler');" },
  'light-my-request': { packages: ['light-my-request'], entry: "module.exports = require('light-my-request');" },
  semver: { packages: ['semver'], entry: "module.exports = require('semver');" },
  'otel-api': { packages: ['@opentelemetry/api'], entry: "module.exports = require('@opentelemetry/api');" },
};
const chunkOfPackage = new Map(Object.entries(CHUNKS).flatMap(([name, { packages }]) => packages.map((pkg) => [pkg, name])));
const packagesAsChunks = {
  name: 'packages-as-chunks',
  setup(pluginBuild) {
    const filter = new RegExp(`^(${[...chunkOfPackage.keys()].map((pkg) => pkg.replace(/[/.]/g, '\\$&')).join('|')})$`);
    pluginBuild.onResolve({ filter }, (args) => ({ path: chunkOfPackage.get(args.path), namespace: 'nora-chunk' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'nora-chunk' }, (args) => ({
      contents: `module.exports = require('./src/load-chunk.ts').loadChunk(${JSON.stringify(args.path)});`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** Throws when `file` holds a non-ASCII character, naming where (see asciiRegexOfAnsis). */
function assertAscii(file) {
  const text = readFileSync(file, 'latin1');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) {
    throw new Error(`${file} holds a non-ASCII character near ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))}: `
      + 'V8 would keep the whole bundle as a two-byte string (twice the idle memory). Write it as an escape (\\u00b7) in a tagged template or regex.');
  }
}

export async function bundle({ logLevel = 'warning' } = {}) {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    sourcemap: 'linked',
    legalComments: 'none',
    // Whitespace and syntax only: identifiers stay, so stack traces keep their function names
    // (positions map back through the .map file). The binary holds the source in memory (the
    // mapped blob plus copies in the V8 heap), so bundle bytes are resident bytes: 5.7 → 3.8 MB
    // took ~10 MiB off the binary's idle private memory (RssAnon 39 → 29 MiB, measured here).
    // `nora --version` and the "listening" log line name the commit the binary was built from.
    define: { __NORA_REVISION__: JSON.stringify(gitRevision()) },
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel,
    // Optional peers that NORA never uses; keeping them external keeps esbuild quiet.
    // typescript: @oclif/core's read-tsconfig does `try { require('typescript') } catch {}` for
    // ts-node development setups; bundled, it was 9 MB of the 14 MB bundle, and in the binary the
    // source sits in memory twice (mapped blob + V8 heap): −22 MiB idle RSS without it. Outside
    // the binary it still resolves from node_modules; inside, the require fails and oclif skips it.
    external: ['@aws-sdk/signature-v4-crt', 'aws-crt', 'typescript'],
    charset: 'ascii',
    // `await import('node:fs')` becomes `require`: the binary compiles the bundle with vm.Script
    // (src/start-cache.ts), whose code has no dynamic import callback ("A dynamic import callback
    // was not specified").
    supported: { 'dynamic-import': false },
  };
  await build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/nora.cjs', plugins: [asciiRegexOfAnsis, noOclifEngineCheck, lazyRequires, packagesAsChunks] });
  assertAscii(path.join(root, 'dist', 'nora.cjs'));
  // The binary's entry: runs the bundle (a payload, src/binary-payloads.ts) with the start cache (src/sea-main.ts).
  await build({ ...common, entryPoints: ['src/sea-main.ts'], outfile: 'dist/sea-main.cjs' });
  await Promise.all(Object.entries(CHUNKS).map(async ([name, { entry }]) => {
    const outfile = path.join('dist', 'chunks', `${name}.cjs`);
    await build({ ...common, stdin: { contents: entry, resolveDir: root, loader: 'js', sourcefile: `chunk-${name}.cjs` }, outfile, plugins: [asciiRegexOfAnsis] });
    assertAscii(path.join(root, outfile));
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle({ logLevel: process.argv.includes('--debug') ? 'debug' : 'warning' });
}
