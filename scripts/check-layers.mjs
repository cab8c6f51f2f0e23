// Layering gate (DESIGN.md): commands -> server -> lib, never backwards; inside lib, one format
// never imports another; only a format's own module knows its key layout (the literal
// 'repos/<format>' and its layout module); no import cycles. Reads import specifiers, so it
// needs no build.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const src = path.join(root, 'src');
const FORMATS = ['oci', 'npm', 'maven', 'cargo', 'pypi'];

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.ts')) files.push(full);
  }
})(src);

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const graph = new Map();
const problems = [];
for (const file of files) {
  const rel = path.relative(src, file);
  const deps = [];
  for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const spec = match[1] ?? match[2];
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
  }
  graph.set(rel, deps);
}

// Key layout: 'repos/<format>' appears only in src/lib/<format>/, and a format's layout module
// is imported only there. (lib/upstream is OCI's pull-through until it moves into lib/oci.)
const LAYOUT_MODULES = { oci: 'lib/oci/layout.ts' };
const LAYOUT_GUESTS = { oci: ['lib/upstream'] };
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

if (problems.length > 0) {
  console.error(`layer check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`layer check: ${files.length} files, no backward imports, no cross-format imports, no foreign key layout, no cycles`);
