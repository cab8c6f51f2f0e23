// Bundles src/ into one CommonJS file, dist/nora.cjs: the input of the single-executable build
// and what `bin/run.js` and the tests run. Usage: node scripts/build.mjs [--debug]
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export async function bundle({ logLevel = 'warning' } = {}) {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/nora.cjs',
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel,
    // Optional peers that NORA never uses; keeping them external keeps esbuild quiet.
    external: ['@aws-sdk/signature-v4-crt', 'aws-crt'],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle({ logLevel: process.argv.includes('--debug') ? 'debug' : 'warning' });
}
