// Rules that span several keys, checked after every source is applied.
import type { ConfigProblem } from './config-error.js';
import type { NoraConfig } from './schema.js';
import type { UpstreamSettings } from './upstream-fields.js';

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
