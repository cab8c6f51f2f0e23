// Rules that span several keys, checked after every source is applied.
import type { ConfigProblem } from './config-error.js';
import type { NoraConfig } from './schema.js';
import type { UpstreamSettings } from './upstream-fields.js';
import { checkTenants } from '../tenants/tenant-checks.js';

export function checkConsistency(config: NoraConfig, origin: (path: string[]) => string | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.storage.backend === 's3' && config.storage.s3.bucket === '') {
    problems.push({ key: 'storage.s3.bucket', message: 'required when storage.backend = "s3"', origin: origin(['storage', 'backend']) });
  }
  if ((config.server.tls.cert_file === '') !== (config.server.tls.key_file === '')) {
    problems.push({ key: 'server.tls.cert_file', message: 'cert_file and key_file must be set together', origin: origin(['server', 'tls']) });
  }
  if ((config.storage.s3.access_key_id === '') !== (config.storage.s3.secret_access_key === '')) {
    problems.push({ key: 'storage.s3.access_key_id', message: 'access_key_id and secret_access_key must be set together', origin: origin(['storage', 's3']) });
  }
  for (const format of ['docker', 'npm', 'maven', 'pypi', 'cargo'] as const) problems.push(...checkUpstreams(format, config[format].upstreams, origin));
  const docker = config.docker.upstreams;
  docker.forEach((u, i) => {
    const at = origin(['docker', 'upstreams', String(i)]);
    if (u.name === '') problems.push({ key: `docker.upstreams[${i}]`, message: 'name and url are required', origin: at });
    if (!u.default && u.prefix === '') problems.push({ key: `docker.upstreams[${i}].prefix`, message: 'an upstream needs a prefix or default = true', origin: at });
  });
  if (docker.filter((u) => u.default).length > 1) problems.push({ key: 'docker.upstreams', message: 'at most one upstream may have default = true', origin: origin(['docker', 'upstreams']) });
  if (config.npm.upstreams.length > 1) problems.push({ key: 'npm.upstreams', message: 'at most one upstream: /npm/ serves one upstream registry', origin: origin(['npm', 'upstreams']) });
  if (config.cargo.upstreams.length > 1) problems.push({ key: 'cargo.upstreams', message: 'at most one upstream: /cargo/crates-io/ serves one registry', origin: origin(['cargo', 'upstreams']) });
  config.webhooks.forEach((hook, i) => {
    const at = origin(['webhooks', String(i)]);
    if (hook.name === '' || hook.url === '') problems.push({ key: `webhooks[${i}]`, message: 'name and url are required', origin: at });
    else if (config.webhooks.findIndex((o) => o.name === hook.name) !== i) problems.push({ key: `webhooks[${i}].name`, message: `duplicate webhook name "${hook.name}"`, origin: at });
  });
  config.replication.forEach((r, i) => {
    const at = origin(['replication', String(i)]);
    if (r.name === '' || r.remote === '') problems.push({ key: `replication[${i}]`, message: 'name and remote are required', origin: at });
    if (r.name !== '' && config.replication.findIndex((o) => o.name === r.name) !== i) problems.push({ key: `replication[${i}].name`, message: `duplicate rule name "${r.name}"`, origin: at });
    if (r.trigger === 'schedule' && r.schedule === '') problems.push({ key: `replication[${i}].schedule`, message: 'required when trigger = "schedule"', origin: at });
    if (r.trigger === 'event' && r.schedule !== '') problems.push({ key: `replication[${i}].trigger`, message: 'set trigger = "schedule" to use schedule', origin: at });
    if (r.direction === 'pull' && r.trigger === 'event') problems.push({ key: `replication[${i}].trigger`, message: 'a pull rule runs on a schedule: set trigger = "schedule" (events are this store\'s own pushes)', origin: at });
    if (r.delete && r.trigger === 'schedule') problems.push({ key: `replication[${i}].delete`, message: 'deletions are propagated by trigger = "event" rules only', origin: at });
    if ([r.password_file, r.password_env, r.token_env].filter(Boolean).length > 1) problems.push({ key: `replication[${i}].password_file`, message: 'set at most one of password_file, password_env and token_env', origin: at });
  });
  problems.push(...checkTenants(config.tenants, origin));
  problems.push(...checkRetention(config.retention, origin));
  return problems;
}

/** A rule needs `match`; keeping none of what it matches needs allow_empty. */
function checkRetention(retention: NoraConfig['retention'], origin: (path: string[]) => string | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  retention.rules.forEach((rule, i) => {
    const at = origin(['retention', 'rules', String(i)]);
    if (rule.match === '') problems.push({ key: `retention.rules[${i}].match`, message: 'required: REPO_GLOB/TAG_GLOB such as "*/dev-*"', origin: at });
    for (const key of ['keep_last', 'keep_last_pulled'] as const) {
      if (rule[key] === 0 && !rule.allow_empty) problems.push({ key: `retention.rules[${i}].${key}`, message: `${key} = 0 deletes everything the rule matches; set allow_empty = true to mean it`, origin: origin(['retention', 'rules', String(i), key]) });
    }
    if (rule.action === 'delete' && rule.format !== '' && rule.format !== 'cargo') problems.push({ key: `retention.rules[${i}].action`, message: 'action applies to Cargo only (other formats always delete)', origin: origin(['retention', 'rules', String(i), 'action']) });
    if (rule.untagged_older_than > 0 && rule.format !== '' && rule.format !== 'oci') problems.push({ key: `retention.rules[${i}].untagged_older_than`, message: 'untagged_older_than applies to OCI only', origin: origin(['retention', 'rules', String(i), 'untagged_older_than']) });
  });
  retention.cache.forEach((rule, i) => {
    if (rule.not_pulled_for === 0 && rule.max_size === 0) problems.push({ key: `retention.cache[${i}]`, message: 'give not_pulled_for or max_size (or both)', origin: origin(['retention', 'cache', String(i)]) });
  });
  return problems;
}

/** The rules every format's [[<format>.upstreams]] follows. */
function checkUpstreams(format: string, upstreams: UpstreamSettings[], origin: (path: string[]) => string | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  upstreams.forEach((u, i) => {
    const at = origin([format, 'upstreams', String(i)]);
    if (u.url === '') problems.push({ key: `${format}.upstreams[${i}]`, message: 'url is required', origin: at });
    if (u.name !== '' && upstreams.findIndex((o) => o.name === u.name) !== i) problems.push({ key: `${format}.upstreams[${i}].name`, message: `duplicate upstream name "${u.name}"`, origin: at });
    if ([u.password, u.password_file, u.password_env].filter(Boolean).length > 1) problems.push({ key: `${format}.upstreams[${i}].password`, message: 'set at most one of password, password_file and password_env', origin: at });
  });
  return problems;
}
