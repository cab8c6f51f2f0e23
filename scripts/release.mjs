// Builds the release files into dist/release/ (`npm run release`):
//   nora-VERSION-linux-x64.tar.gz, nora-VERSION-linux-arm64.tar.gz
//       nora-VERSION-linux-ARCH/nora          the single-executable binary
//       nora-VERSION-linux-ARCH/nora.service  the systemd unit (deploy/systemd/)
//       nora-VERSION-linux-ARCH/nora.toml     the config the unit reads (deploy/systemd/)
//       nora-VERSION-linux-ARCH/README.md     the README's install guide
//   nora-VERSION.cdx.json   CycloneDX SBOM of NORA: the production npm dependencies bundled into
//                           the binary (from package-lock.json) and the Node runtime it embeds
//   SHA256SUMS              `sha256sum -c SHA256SUMS` checks every file above
//
//   node scripts/release.mjs [--binaries DIR] [--out DIR]
//
// Without --binaries it first runs the bundle and binary builds (scripts/build.mjs,
// scripts/build-binaries.mjs); --binaries DIR packs DIR/nora-linux-{x64,arm64} as they are (CI
// builds them once; tests pass small stand-ins). Archives are reproducible: sorted entries,
// owner root, mtime of the commit being released, gzip without a name or time stamp.
//
// The SBOM comes from @cyclonedx/cyclonedx-npm (CycloneDX's own generator, a devDependency that
// never reaches the binary) reading package-lock.json only: it writes package URLs, licences,
// lock-file hashes and the dependency graph, which a hand-made generator would have to
// re-implement and keep up with the spec.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const ARCHES = ['x64', 'arm64'];

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (result.error) fail(`${cmd}: ${result.error.message}`);
  if (result.status !== 0) fail(`${[cmd, ...args].join(' ')} exited with ${result.status ?? result.signal}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  return result;
}

function option(name) {
  const i = process.argv.indexOf(name);
  if (i === -1) return undefined;
  const value = process.argv[i + 1];
  if (!value || value.startsWith('--')) fail(`${name} needs a value`);
  return path.resolve(value);
}

/** Seconds since the epoch of the commit being released (SOURCE_DATE_EPOCH overrides). */
function sourceDateEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) return process.env.SOURCE_DATE_EPOCH;
  const result = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() ? result.stdout.trim() : '0';
}

/** The README's install guide (between the install-guide markers), as the archive's README.md. */
function readmeExcerpt() {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const match = /<!-- install-guide:start -->\n([\s\S]*?)<!-- install-guide:end -->/.exec(readme);
  if (!match) fail('README.md has no <!-- install-guide:start --> ... <!-- install-guide:end --> section');
  return `# NORA ${pkg.version}\n\n${pkg.description}\n\nThe full manual is the README.md of NORA's repository; this is its install guide.\n\n${match[1].replace(/^##(#*) /gm, '#$1 ')}`;
}

function packArchive(binary, arch, out, epoch) {
  const name = `nora-${pkg.version}-linux-${arch}`;
  const stage = mkdtempSync(path.join(os.tmpdir(), 'nora-release-'));
  try {
    const dir = path.join(stage, name);
    mkdirSync(dir);
    copyFileSync(binary, path.join(dir, 'nora'));
    chmodSync(path.join(dir, 'nora'), 0o755);
    for (const file of ['nora.service', 'nora.toml']) copyFileSync(path.join(root, 'deploy', 'systemd', file), path.join(dir, file));
    writeFileSync(path.join(dir, 'README.md'), readmeExcerpt());
    for (const file of ['nora.service', 'nora.toml', 'README.md']) chmodSync(path.join(dir, file), 0o644);
    chmodSync(dir, 0o755);
    const archive = path.join(out, `${name}.tar.gz`);
    run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${epoch}`, '--format=gnu',
      '--use-compress-program=gzip -9n', '-cf', archive, '-C', stage, name]);
    return archive;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function makeSbom(out) {
  const file = path.join(out, `nora-${pkg.version}.cdx.json`);
  const cli = path.join(root, 'node_modules', '@cyclonedx', 'cyclonedx-npm', 'bin', 'cyclonedx-npm-cli.js');
  if (!existsSync(cli)) fail(`${path.relative(root, cli)} is missing: run npm ci`);
  run(process.execPath, [cli, '--omit', 'dev', '--package-lock-only', '--output-reproducible', '--spec-version', '1.6',
    '--output-format', 'JSON', '--output-file', file], { cwd: root });
  const bom = JSON.parse(readFileSync(file, 'utf8'));
  // The Node runtime inside each binary comes from these npm packages (scripts/build-binaries.mjs).
  const node = pkg.devDependencies.node;
  for (const arch of ARCHES) {
    bom.components.push({
      type: 'platform', 'bom-ref': `node-linux-${arch}@${node}`, name: `node-linux-${arch}`, version: node,
      description: `The Node.js runtime embedded in nora-${pkg.version}-linux-${arch} (single-executable application)`,
      purl: `pkg:npm/node-linux-${arch}@${node}`, licenses: [{ license: { id: 'MIT' } }],
    });
  }
  writeFileSync(file, `${JSON.stringify(bom, null, 2)}\n`);
  return file;
}

async function sha256(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** `sha256sum` format: the hex digest, two spaces, the file name; sorted by name. */
async function writeSums(out, files) {
  const lines = [];
  for (const file of [...files].sort()) lines.push(`${await sha256(file)}  ${path.basename(file)}\n`);
  writeFileSync(path.join(out, 'SHA256SUMS'), lines.join(''));
}

const given = option('--binaries');
const out = option('--out') ?? path.join(root, 'dist', 'release');
const binaries = given ?? path.join(root, 'dist');
if (!given) {
  run(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  run(process.execPath, [path.join(root, 'scripts', 'build-binaries.mjs')], { stdio: 'inherit' });
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const epoch = sourceDateEpoch();
const files = [];
for (const arch of ARCHES) {
  const binary = path.join(binaries, `nora-linux-${arch}`);
  if (!existsSync(binary)) fail(`${binary} is missing (npm run build:binaries)`);
  files.push(packArchive(binary, arch, out, epoch));
}
files.push(makeSbom(out));
await writeSums(out, files);
console.log(`release ${pkg.version} in ${path.relative(root, out) || out}:`);
for (const file of [...files, path.join(out, 'SHA256SUMS')]) {
  console.log(`  ${path.basename(file).padEnd(36)} ${(statSync(file).size / 1048576).toFixed(1)} MiB`);
}
