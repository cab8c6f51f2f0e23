// Bundled and run by scripts/bench/retention.mjs, one mode per process so each peak RSS is its own:
//   plan   the pure planner over synthetic listings (10,000 tags in 1,000 repositories with their
//          manifests, 5,000 npm/Maven/Cargo/PyPI versions) under the roadmap's rules
//   seed   writes the same shape into an fs store through the HTTP protocols (in process)
//   store  a full dry run over that store: listing through the format services, then planning
import { createHash } from 'node:crypto';
import { loadConfig } from '../../src/lib/config/loader.js';
import { createServices } from '../../src/lib/services.js';
import { buildApp } from '../../src/server/app.js';
import { compileRules, type RetentionRule } from '../../src/lib/ops/retention/rules.js';
import { planRetention } from '../../src/lib/ops/retention/plan.js';
import { runRetention } from '../../src/lib/ops/retention/run.js';
import type { RetentionName } from '../../src/lib/ops/retention/types.js';
import type { FormatName } from '../../src/lib/formats/format-service.js';
import { publishBody } from '../../test/helpers/npm-fixtures.js';

const REPOS = Number(process.env.BENCH_REPOS ?? 1000);
const TAGS = Number(process.env.BENCH_TAGS ?? 10);
const PACKAGES = Number(process.env.BENCH_PACKAGES ?? 100);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 50);
const DAY = 86_400_000;
const rule = (index: number, match: string, fields: Partial<RetentionRule>): RetentionRule => ({ index, match, protect: [], allowEmpty: false, action: 'yank', ...fields });
const RULES = compileRules([
  rule(0, '*/dev-*', { keepLast: 5 }),
  rule(1, '*/release-*', { keepLast: 20, olderThanMs: 90 * DAY }),
  rule(2, '**/pr-*', { olderThanMs: 7 * DAY }),
  rule(3, '**/*', { keepLast: 10, untaggedOlderThanMs: 30 * DAY }),
]);
const tagName = (i: number) => (i % 3 === 0 ? `dev-${i}` : i % 3 === 1 ? `release-${i}` : `pr-${i}`);
const hex = (text: string) => createHash('sha256').update(text).digest('hex');
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** CPU time of this process (user + system): what the run costs without the machine's other load. */
const cpuMs = () => { const u = process.cpuUsage(); return Math.round((u.user + u.system) / 1000); };

function synthetic(now: number): RetentionName[] {
  const names: RetentionName[] = [];
  for (let r = 0; r < REPOS; r++) {
    const name = r % 4 === 0 ? `team${r % 50}/svc${r}` : `svc${r}`;
    const units = [];
    const manifests = [];
    for (let i = 0; i < TAGS; i++) {
      const digest = `sha256:${hex(`${name}:${i}`)}`;
      const pushed = new Date(now - (i * 13 + (r % 7)) * DAY).toISOString();
      units.push({ version: tagName(i), digest, size: 50_000_000, pushed, pulls: 0 });
      manifests.push({ digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', pushed, tags: [tagName(i)], tagPushed: { [tagName(i)]: pushed }, children: [], blobs: [{ digest, size: 1000 }, { digest: `sha256:${hex(`base${r % 20}`)}`, size: 30_000_000 }, { digest: `sha256:${hex(`${digest}layer`)}`, size: 20_000_000 }], pulls: 0 });
    }
    names.push({ format: 'oci', name, accessName: name, units, manifests });
  }
  const formats: FormatName[] = ['npm', 'maven', 'cargo', 'pypi'];
  for (let p = 0; p < PACKAGES; p++) {
    const format = formats[p % formats.length]!;
    const units = Array.from({ length: VERSIONS }, (_, v) => ({ version: `1.${v}.0`, digest: `sha256:${hex(`${p}@${v}`)}`, size: 100_000, pushed: new Date(now - (VERSIONS - v) * DAY).toISOString(), pulls: 0 }));
    names.push({ format, name: `pkg${p}`, accessName: `pkg${p}`, units });
  }
  return names;
}

async function seed(dir: string): Promise<void> {
  const { config } = loadConfig({ env: {}, cwd: '/nonexistent', flags: { 'storage.data_dir': dir, 'log.level': 'silent', 'npm.upstream': '' } });
  const services = await createServices(config, { pullFlushMs: 0 });
  const app = await buildApp({ services });
  const inject = async (method: string, url: string, body?: string | Buffer, type = 'application/octet-stream') => {
    const response = await app.inject({ method: method as 'PUT', url, ...(body === undefined ? {} : { payload: body, headers: { 'content-type': type } }) });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response;
  };
  const blob = async (name: string, bytes: string) => {
    const digest = `sha256:${hex(bytes)}`;
    await inject('POST', `/v2/${name}/blobs/uploads/?digest=${digest}`, bytes);
    return { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: Buffer.byteLength(bytes) };
  };
  for (let r = 0; r < REPOS; r++) {
    const name = r % 4 === 0 ? `team${r % 50}/svc${r}` : `svc${r}`;
    const config_ = await blob(name, `{"config":${r}}`);
    const layer = await blob(name, `layer of ${name}`);
    for (let i = 0; i < TAGS; i++) {
      const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { ...config_, mediaType: 'application/vnd.oci.image.config.v1+json' }, layers: [layer], annotations: { n: String(i) } });
      await inject('PUT', `/v2/${name}/manifests/${tagName(i)}`, manifest, 'application/vnd.oci.image.manifest.v1+json');
    }
  }
  for (let p = 0; p < PACKAGES; p++) {
    for (let v = 0; v < VERSIONS; v++) await inject('PUT', `/npm/pkg${p}`, JSON.stringify(publishBody(`pkg${p}`, { version: `1.${v}.0` })), 'application/json');
  }
  await app.close();
  await services.close();
}

async function main(): Promise<void> {
  const [mode, dir] = process.argv.slice(2);
  if (mode === 'plan') {
    const now = Date.now();
    const start = process.hrtime.bigint();
    const names = synthetic(now);
    const built = process.hrtime.bigint();
    const plan = planRetention(RULES, names, now);
    const done = process.hrtime.bigint();
    console.log(JSON.stringify({ mode, listMs: Number(built - start) / 1e6, planMs: Number(done - built) / 1e6, considered: plan.considered, decisions: plan.decisions.length, bytes: plan.bytes, rssMiB: rss(), cpuMs: cpuMs() }));
  } else if (mode === 'seed') {
    const start = Date.now();
    await seed(dir!);
    console.log(JSON.stringify({ mode, ms: Date.now() - start }));
  } else {
    const { config } = loadConfig({ env: {}, cwd: '/nonexistent', flags: { 'storage.data_dir': dir!, 'log.level': 'silent', 'npm.upstream': '' } });
    const services = await createServices(config, { pullFlushMs: 0 });
    const start = process.hrtime.bigint();
    const cpuBefore = cpuMs();
    const report = await runRetention({ formats: services.formats, rules: RULES, dryRun: true });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    await services.close();
    console.log(JSON.stringify({ mode, ms, names: report.names, considered: report.considered, decisions: report.decisions.length, bytes: report.bytes, rssMiB: rss(), cpuMs: cpuMs() - cpuBefore, error: report.error }));
  }
}

void main();
