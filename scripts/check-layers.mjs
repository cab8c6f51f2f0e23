// Layering gate (DESIGN.md): commands -> server -> lib, never backwards; inside lib, one format
// never imports another and lib/upstream imports no format; only a format's own module knows its
// key layout (the literal 'repos/<format>' and its layout module); server protocol folders do not
// import each other; only lib/storage touches the filesystem or the S3 SDK; no import cycles.
// Reads import specifiers, so it needs no build. Exceptions are listed below, each with its
// reason; an exception that no longer matches anything fails too, so the lists only shrink.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const src = path.join(root, 'src');
const FORMATS = ['oci', 'npm', 'maven', 'cargo', 'pypi'];
/** src/server/ folders every protocol folder may use; each other folder is one protocol's. */
const SERVER_SHARED = ['core'];
/** Modules that only lib/storage may import. */
const STORAGE_ONLY = /^(node:)?fs(\/promises)?$|^@aws-sdk\//;

/** Files outside lib/storage that touch the local filesystem on purpose: none of them holds artifact data. */
const FILESYSTEM_EXCEPTIONS = {
  'lib/config/loader.ts': 'reads nora.toml; the configuration decides which store exists, so it is read before one is opened',
  'lib/auth/htpasswd.ts': 'the users file is a local, operator-owned file ([auth] htpasswd_file, Apache format), reloaded when it changes',
  'lib/auth/audit-log.ts': 'the audit log is an append-only local log file ([audit] path), like the process log',
  'lib/auth/client-credentials.ts': '`nora login` writes the client tools\' credential files (~/.docker/config.json, ~/.npmrc, ...) on the CI machine',
  'lib/upstream/credentials.ts': 'reads an upstream\'s password_file and ca_file, a secret and a certificate the operator mounts as local files',
  'lib/ops/replicate/docker-config.ts': 'reads the registry logins the user already has (~/.docker/config.json, containers auth.json) for `nora replicate`',
  'commands/backup.ts': 'writes the backup archive to a local path (-o FILE) and reads the htpasswd file it carries',
  'commands/restore.ts': 'reads the backup archive from a local path (-i FILE) and writes the htpasswd file to [auth] htpasswd_file',
  'server/core/tls-files.ts': 'reads [server.tls] cert_file and key_file, the certificate and key the operator mounts as local files',
  'commands/login.ts': 'reads the CI job\'s OIDC ID token from a file (--id-token PATH)',
  'start-cache.ts': 'at build time only: reads the bundle and writes the start cache of the binary (scripts/build-binaries.mjs), before any store exists',
  'binary-payloads.ts': 'reads the binary\'s own payloads (bundle, start cache, chunks) from the running executable file, before any store exists',
};

/** lib/upstream files allowed to import a format: none (OCI's pull-through lives in lib/oci/upstream). */
const UPSTREAM_FORMAT_EXCEPTIONS = {};

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.ts')) files.push(full);
  }
})(src);

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const graph = new Map();
const problems = [];
const usedExceptions = new Set();
for (const file of files) {
  const rel = path.relative(src, file);
  const deps = [];
  for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (STORAGE_ONLY.test(spec) && !rel.startsWith(`lib${path.sep}storage${path.sep}`)) {
      const key = rel.split(path.sep).join('/');
      if (key in FILESYSTEM_EXCEPTIONS) usedExceptions.add(key);
      else problems.push(`${rel} imports ${spec}: only src/lib/storage touches the filesystem or S3 (or add a justified entry to FILESYSTEM_EXCEPTIONS)`);
    }
    if (!spec.startsWith('.')) continue;
    const target = path.relative(src, path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
    deps.push(target);
    const [fromTop, fromSub] = rel.split(path.sep);
    const [toTop, toSub] = target.split(path.sep);
    if (fromTop === 'lib' && (toTop === 'server' || toTop === 'commands')) problems.push(`${rel} imports ${target}: src/lib must not import src/${toTop}`);
    if (fromTop === 'server' && toTop === 'commands') problems.push(`${rel} imports ${target}: src/server must not import src/commands`);
    if (fromTop === 'lib' && toTop === 'lib' && FORMATS.includes(fromSub) && FORMATS.includes(toSub) && fromSub !== toSub) {
      problems.push(`${rel} imports ${target}: formats must not import each other`);
    }
    if (fromTop === 'lib' && fromSub === 'upstream' && toTop === 'lib' && FORMATS.includes(toSub)) {
      const key = rel.split(path.sep).join('/');
      if (key in UPSTREAM_FORMAT_EXCEPTIONS) usedExceptions.add(key);
      else problems.push(`${rel} imports ${target}: src/lib/upstream is the shared upstream kit and imports no format`);
    }
    const isProtocol = (sub, full) => sub !== undefined && !SERVER_SHARED.includes(sub) && full.split(path.sep).length > 2;
    if (fromTop === 'server' && toTop === 'server' && fromSub !== toSub && isProtocol(fromSub, rel) && isProtocol(toSub, target)) {
      problems.push(`${rel} imports ${target}: server protocol folders must not import each other (share through src/server/core or src/lib)`);
    }
  }
  graph.set(rel, deps);
}

// Key layout: 'repos/<format>' appears only in src/lib/<format>/, and a format's layout module
// is imported only there.
const LAYOUT_MODULES = { oci: 'lib/oci/layout.ts', cargo: 'lib/cargo/crate-document.ts', pypi: 'lib/pypi/project-store.ts' };
const LAYOUT_GUESTS = { oci: [] };
for (const file of files) {
  const rel = path.relative(src, file);
  const text = readFileSync(file, 'utf8');
  for (const format of FORMATS) {
    const own = rel.startsWith(`lib${path.sep}${format}${path.sep}`);
    if (!own && (text.includes(`repos/${format}`) || text.includes(`repos\\/${format}`))) problems.push(`${rel} names repos/${format}: only src/lib/${format}/ knows its key layout (go through its format service)`);
    const layoutModule = LAYOUT_MODULES[format];
    const guest = (LAYOUT_GUESTS[format] ?? []).some((dir) => rel.startsWith(`${dir}${path.sep}`));
    if (layoutModule && !own && !guest && graph.get(rel).includes(layoutModule)) problems.push(`${rel} imports ${layoutModule}: only src/lib/${format}/ knows its key layout`);
  }
}

// Cycle detection over static imports (dynamic imports are lazy and excluded on purpose).
const staticGraph = new Map();
for (const file of files) {
  const rel = path.relative(src, file);
  const text = readFileSync(file, 'utf8').replace(/import\(\s*['"][^'"]+['"]\s*\)/g, '');
  const deps = [...text.matchAll(/(?:import|export)\s(?!type\b)[^'"]*?from\s*['"](\.[^'"]+)['"]/g)]
    .map((m) => path.relative(src, path.resolve(path.dirname(file), m[1].replace(/\.js$/, '.ts'))));
  staticGraph.set(rel, deps);
}
const state = new Map();
function visit(node, stack) {
  if (state.get(node) === 'done') return;
  if (state.get(node) === 'active') { problems.push(`import cycle: ${[...stack.slice(stack.indexOf(node)), node].join(' -> ')}`); return; }
  state.set(node, 'active');
  for (const dep of staticGraph.get(node) ?? []) visit(dep, [...stack, node]);
  state.set(node, 'done');
}
for (const node of staticGraph.keys()) visit(node, []);

for (const key of [...Object.keys(FILESYSTEM_EXCEPTIONS), ...Object.keys(UPSTREAM_FORMAT_EXCEPTIONS)]) {
  if (!usedExceptions.has(key)) problems.push(`stale exception ${key}: it no longer imports what its exception allows; remove the entry`);
}

if (problems.length > 0) {
  console.error(`layer check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`layer check: ${files.length} files, no backward imports, no cross-format or cross-protocol imports, no foreign key layout, storage alone on fs/S3 (${Object.keys(FILESYSTEM_EXCEPTIONS).length} listed exceptions), lib/upstream format-free (${Object.keys(UPSTREAM_FORMAT_EXCEPTIONS).length} temporary exceptions), no cycles`);
