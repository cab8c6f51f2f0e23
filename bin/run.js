#!/usr/bin/env node
// Development entry for `nora`: bundles src/ with esbuild (well under a second), then runs it.
// Released builds are the single executables made by `npm run build:binaries`.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
require(path.join(root, 'dist', 'nora.cjs'));
